using DbIntegrity.Core.Rules;

namespace DbIntegrity.Core.Tests.Rules;

/// <summary>
/// The installations' digest counts joined rows, and reads them as installations only when no tenant and plugin has
/// more than one category row. Until that is answered, or when it is not so, the rules the digest clears are not cleared.
/// </summary>
public sealed class DigestObservationsTests
{
    private const string Identifier = "langgenius/google:0.0.1@" + "e";

    [Test]
    public void Consistent_digests_clear_the_rules_once_no_category_rows_are_shared()
    {
        var seen = ObservedWith(refers: 2, joinedRows: 2);
        Assert.That((seen.RefersMayDiffer, seen.CategoryRowsMayBeLeftOver), Is.EqualTo((true, true)), "unanswered: nothing is cleared");

        seen.ObserveSharedCategoryRows(false);

        Assert.That((seen.RefersMayDiffer, seen.CategoryRowsMayBeLeftOver, seen.CategoryIdentifiersMayDiffer), Is.EqualTo((false, false, false)));
    }

    [Test]
    public void Shared_category_rows_leave_a_refers_matching_the_joined_rows_unvouched_for()
    {
        var seen = ObservedWith(refers: 2, joinedRows: 2);

        seen.ObserveSharedCategoryRows(true);

        Assert.That((seen.RefersMayDiffer, seen.CategoryRowsMayBeLeftOver), Is.EqualTo((true, true)));
    }

    [Test]
    public void A_refers_other_than_the_joined_rows_may_differ_whatever_the_answer()
    {
        var seen = ObservedWith(refers: 3, joinedRows: 2);

        seen.ObserveSharedCategoryRows(false);

        Assert.That((seen.RefersMayDiffer, seen.CategoryRowsMayBeLeftOver), Is.EqualTo((true, false)));
    }

    [TestCase(1, 0, TestName = "Category rows no installation claims may be left over")]
    [TestCase(0, 1, TestName = "An installation without an identifier may leave category rows over")]
    public void Rows_without_an_identifier_may_leave_category_rows_over(long unmatched, long installations)
    {
        var seen = new DigestObservations();
        seen.ObserveUnidentified(Digest(null, joinedRows: unmatched + installations, categoryRows: unmatched) with { Unmatched = unmatched });
        seen.ObserveSharedCategoryRows(false);

        Assert.That(seen.CategoryRowsMayBeLeftOver, Is.True);
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
