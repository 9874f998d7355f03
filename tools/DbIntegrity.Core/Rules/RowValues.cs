using System.Data.Common;

namespace DbIntegrity.Core.Rules;

/// <summary>Null-safe reads of the columns rule queries return.</summary>
internal static class RowValues
{
    public static string? Text(DbDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : Convert.ToString(row.GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);

    public static DateTimeOffset? Time(DbDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetFieldValue<DateTimeOffset>(ordinal);

    public static long Number(DbDataReader row, int ordinal) => row.IsDBNull(ordinal) ? 0 : Convert.ToInt64(row.GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);
}
