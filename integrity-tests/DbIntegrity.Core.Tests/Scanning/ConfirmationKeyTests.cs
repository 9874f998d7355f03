using System.Text;
using DbIntegrity.Core.Scanning;

namespace DbIntegrity.Core.Tests.Scanning;

public sealed class ConfirmationKeyTests
{
    [TestCase(0L)]
    [TestCase(7L)]
    [TestCase(299_999L)]
    [TestCase(long.MaxValue)]
    public void A_candidates_index_is_written_as_the_bytes_of_its_key_and_read_back(long index)
    {
        var bytes = new byte[Confirmation.KeyLength];
        var written = Confirmation.WriteKey(index, bytes);

        Assert.Multiple(() =>
        {
            // The failed candidates' sorter compares these bytes: they must be the text key's, fixed width.
            Assert.That(Encoding.ASCII.GetString(bytes, 0, written), Is.EqualTo(Confirmation.Key(index)));
            Assert.That(Confirmation.ReadKey(bytes.AsSpan(0, written)), Is.EqualTo(index));
        });
    }

    [Test]
    public void An_index_below_zero_or_a_key_confirmation_did_not_write_is_refused()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => Confirmation.WriteKey(-1, new byte[Confirmation.KeyLength]), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => Confirmation.ReadKey("12"u8), Throws.InstanceOf<InvalidDataException>());
            Assert.That(() => Confirmation.ReadKey("000000000000000001x"u8), Throws.InstanceOf<InvalidDataException>());
            // Nineteen bytes, but signed: not what WriteKey writes.
            Assert.That(() => Confirmation.ReadKey("-000000000000000000"u8), Throws.InstanceOf<InvalidDataException>());
            Assert.That(() => Confirmation.ReadKey("+000000000000000001"u8), Throws.InstanceOf<InvalidDataException>());
        });
    }

    [TestCase(0L, false)]
    [TestCase(12_345L, true)]
    [TestCase(long.MaxValue >> 1, true)]
    public void A_candidates_stake_in_an_object_is_read_back_as_it_was_written(long index, bool mustExist)
    {
        var bytes = new byte[ObjectConfirmation.ReferenceLength];
        var written = ObjectConfirmation.WriteReference(index, mustExist, bytes);

        Assert.That(ObjectConfirmation.ReadReference(bytes.AsSpan(0, written)), Is.EqualTo((index << 1) | (mustExist ? 1L : 0L)));
    }

    [Test]
    public void A_stake_confirmation_did_not_write_is_refused()
    {
        var beyond = new byte[ObjectConfirmation.ReferenceLength];
        ObjectConfirmation.WriteReference((long.MaxValue >> 1) + 1, mustExist: true, beyond);
        Assert.Multiple(() =>
        {
            Assert.That(() => ObjectConfirmation.ReadReference("x0000000000000000001"u8), Throws.InstanceOf<InvalidDataException>());
            Assert.That(() => ObjectConfirmation.ReadReference("+000000000000000001"u8), Throws.InstanceOf<InvalidDataException>());
            Assert.That(() => ObjectConfirmation.ReadReference(beyond), Throws.InstanceOf<InvalidDataException>(), "an index that does not fit twice over");
        });
    }
}
