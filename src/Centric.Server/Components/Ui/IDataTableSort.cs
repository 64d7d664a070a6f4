namespace Centric.Server.Components.Ui;

/// <summary>What a <see cref="SortHeader"/> needs from the DataTable around it, whatever its item type.</summary>
public interface IDataTableSort
{
    string? SortKey { get; }
    bool Descending { get; }
    string SortLink(string key);
}
