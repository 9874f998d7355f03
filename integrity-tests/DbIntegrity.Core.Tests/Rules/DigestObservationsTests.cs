using DbIntegrity.Core.Rules;

namespace DbIntegrity.Core.Tests.Rules;

/// <summary>
/// The installations' digest counts joined rows, and reads them as installations only when no installation's tenant and
/// plugin has more than one category row: when the joined rows of every digest add up to the table's installations.
/// Until the table's count is known, or when they do not add up, the rules the digest clears are not cleared.
/// </summary>
public sealed class DigestObservationsTests
{
    private const string Identifier = "langgenius/google:0.0.1@" + "e";

    [Test]
    public void Consistent_digests_clear_the_rules_once_no_category_rows_are_shared()
    {
        var seen = ObservedWith(refers: 2, joinedRows: 2);
        Assert.That((seen.RefersMayDiffer, seen.CategoryRowsMayBeLeftOver), Is.EqualTo((true, true)), "unanswered: nothing is cleared");

        seen.ObserveInstallationCount(2);

        Assert.That((seen.RefersMayDiffer, seen.CategoryRowsMayBeLeftOver, seen.CategoryIdentifiersMayDiffer), Is.EqualTo((false, false, false)));
    }

    [Test]
    public void Shared_category_rows_leave_a_refers_matching_the_joined_rows_unvouched_for()
    {
        // One installation joined to two category rows: two joined rows, one installation in the table.
        var seen = ObservedWith(refers: 2, joinedRows: 2);

        seen.ObserveInstallationCount(1);

        Assert.That((seen.RefersMayDiffer, seen.CategoryRowsMayBeLeftOver), Is.EqualTo((true, true)));
    }

    [Test]
    public void A_refers_other_than_the_joined_rows_may_differ_whatever_the_answer()
    {
        var seen = ObservedWith(refers: 3, joinedRows: 2);

        seen.ObserveInstallationCount(2);

        Assert.That((seen.RefersMayDiffer, seen.CategoryRowsMayBeLeftOver), Is.EqualTo((true, false)));
    }

    [TestCase(1, 0, TestName = "Category rows no installation claims may be left over")]
    [TestCase(0, 1, TestName = "An installation without an identifier may leave category rows over")]
    public void Rows_without_an_identifier_may_leave_category_rows_over(long unmatched, long installations)
    {
        var seen = new DigestObservations();
        seen.ObserveUnidentified(Digest(null, joinedRows: unmatched + installations, categoryRows: unmatched) with { Unmatched = unmatched });
        seen.ObserveInstallationCount(installations);

        Assert.That(seen.CategoryRowsMayBeLeftOver, Is.True);
    }

    [TestCase(3L, false, TestName = "Installations without an identifier count toward the table's installations")]
    [TestCase(2L, true, TestName = "A table count below the joined rows means an installation joined two category rows")]
    [TestCase(4L, true, TestName = "A table count above the joined rows is not vouched for either")]
    public void The_digests_installations_are_added_up_against_the_tables_count(long counted, bool shared)
    {
        // Two installations of the identifier (two joined rows), and one without an identifier, joined to no category row.
        var seen = ObservedWith(refers: 2, joinedRows: 2);
        seen.ObserveUnidentified(Digest(null, joinedRows: 1, categoryRows: 0));

        seen.ObserveInstallationCount(counted);

        Assert.That((seen.CategoryRowsShared, seen.RefersMayDiffer), Is.EqualTo((shared, shared)));
    }

    private static DigestObservations ObservedWith(long refers, long joinedRows)
    {
        var seen = new DigestObservations();
        var group = new IdentifierGroup
        {
            Key = Identifier,
            Plugins = [new PluginRow(Guid.NewGuid().ToString(), Identifier, "langgenius/google", "marketplace", refers, null, null)],
        };
        seen.Observe(group, [Digest(Identifier, joinedRows, categoryRows: joinedRows)]);
        return seen;
    }

    // Every category row joined is an exact row of the first category table.
    private static InstallationDigest Digest(string? identifier, long joinedRows, long categoryRows)
    {
        var exact = new long[InstallationRow.CategoryTables.Length];
        exact[0] = categoryRows;
        return new(identifier, false, joinedRows, exact) { CategoryRows = categoryRows };
    }
}
