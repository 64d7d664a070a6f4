using Centric.Analytics.Churn;
using Centric.Analytics.Tabular;

namespace Centric.Analytics.Tests.Churn;

public class CsvTableTests
{
    private static TabularTable Read(string text) => CsvTable.Read(new StringReader(text));

    [Fact]
    public void Columns_of_numbers_are_numeric_and_others_categorical()
    {
        var table = Read("age,plan,score\r\n42,gold,1.5\r\n37,silver,-2e3\r\n");
        Assert.Equal(ColumnKind.Numeric, table["age"].Kind);
        Assert.Equal(ColumnKind.Categorical, table["plan"].Kind);
        Assert.Equal(ColumnKind.Numeric, table["score"].Kind);
        Assert.Equal([42.0, 37.0], table["age"].Numbers.ToArray());
        Assert.Equal(-2000.0, table["score"].Numbers[1]);
        Assert.Equal(new string?[] { "gold", "silver" }, table["plan"].Labels.ToArray());
    }

    [Fact]
    public void Blanks_are_missing_and_do_not_make_a_numeric_column_categorical()
    {
        var table = Read("age,plan\n42,\n,gold\nNA,silver\n");
        Assert.Equal(ColumnKind.Numeric, table["age"].Kind);
        Assert.Equal(42.0, table["age"].Numbers[0]);
        Assert.True(double.IsNaN(table["age"].Numbers[1]));
        Assert.True(double.IsNaN(table["age"].Numbers[2]));
        Assert.Null(table["plan"].Labels[0]);
        Assert.Equal("gold", table["plan"].Labels[1]);
    }

    [Fact]
    public void One_word_among_numbers_makes_the_column_categorical()
    {
        var table = Read("code\n1\n2\nx\n");
        Assert.Equal(ColumnKind.Categorical, table["code"].Kind);
        Assert.Equal(new string?[] { "1", "2", "x" }, table["code"].Labels.ToArray());
    }

    [Fact]
    public void Quoted_fields_keep_commas_quotes_and_line_breaks()
    {
        var table = Read("name,city\n\"Smith, J\",\"New\nYork\"\n\"say \"\"hi\"\"\",Paris\n");
        Assert.Equal(2, table.RowCount);
        Assert.Equal("Smith, J", table["name"].Labels[0]);
        Assert.Equal("New\nYork", table["city"].Labels[0]);
        Assert.Equal("say \"hi\"", table["name"].Labels[1]);
    }

    [Fact]
    public void Ragged_rows_and_empty_input_are_refused()
    {
        Assert.Throws<AnalyticsException>(() => Read("a,b\n1\n"));
        Assert.Throws<AnalyticsException>(() => Read(""));
    }

    [Fact]
    public void Outcome_column_uses_one_as_churned_and_skips_missing_outcomes()
    {
        var table = Read("x,Exited\n1,1\n2,0\n3,\n4,1\n");
        var (churned, rows) = ChurnLabels.FromColumn(table["Exited"]);
        Assert.Equal([true, false, true], churned);
        Assert.Equal([0, 1, 3], rows);
    }

    [Fact]
    public void Outcome_column_with_words_needs_the_positive_value_named()
    {
        var table = Read("x,status\n1,left\n2,stayed\n");
        Assert.Throws<AnalyticsException>(() => ChurnLabels.FromColumn(table["status"]));
        var (churned, _) = ChurnLabels.FromColumn(table["status"], "LEFT");
        Assert.Equal([true, false], churned);
    }
}
