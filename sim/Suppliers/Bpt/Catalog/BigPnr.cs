namespace Sandbox.Suppliers.Bpt.Catalog;

/// <summary>
/// 小转大: the sandbox's deterministic conversion of a CRS (small) PNR into the airline (big) PNR when no fixture
/// names the big one. The same small PNR always gives the same big PNR, across restarts and machines. A trigger PNR
/// (ZZxx…, spec §10) keeps its first four characters, so that a magic value survives the conversion.
/// </summary>
public static class BigPnr
{
    const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public static string Of(string small)
    {
        var h = Fnv(small);
        var keep = small.StartsWith("ZZ", StringComparison.Ordinal) && small.Length >= 4 ? small[..4] : "";
        Span<char> big = stackalloc char[6];
        keep.AsSpan().CopyTo(big);
        for (var i = keep.Length; i < 6; i++)
        {
            big[i] = Alphabet[(int)(h % (uint)Alphabet.Length)];
            h = h / (uint)Alphabet.Length ^ (h << 7) * 16777619u;
        }
        // Airline PNRs start with a letter, and a converted PNR never equals its source nor starts a trigger by chance.
        if (keep.Length == 0 && (char.IsDigit(big[0]) || big.StartsWith("ZZ"))) big[0] = (char)('N' + (int)(h % 6));
        var result = new string(big);
        return result == small ? result[..5] + (result[5] == 'X' ? 'Y' : 'X') : result;
    }

    /// <summary>Airline for a small PNR sent with an empty <c>air</c> and no fixture (TRP allows that, spec §3).</summary>
    public static string DefaultAirline(string small)
    {
        string[] airlines = ["CA", "MU", "CZ", "HU", "3U", "ZH"];
        return airlines[(int)(Fnv(small) % (uint)airlines.Length)];
    }

    public static uint Fnv(string s)
    {
        var h = 2166136261u;
        foreach (var ch in s) h = (h ^ ch) * 16777619u;
        return h;
    }

    public static bool IsValid(string pnr) => pnr.Length is 5 or 6 && pnr.All(c => c is >= 'A' and <= 'Z' or >= '0' and <= '9');
}
