using System.Globalization;

namespace Sandbox.Suppliers.FliggyBus.Model;

/// <summary>
/// 18-digit resident identity numbers (GB 11643) with a valid check digit, for test passengers: a merchant that
/// validates certificates accepts them.
/// </summary>
public static class IdentityNumbers
{
    static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const string CheckCodes = "10X98765432";

    public static string Make(string area, DateOnly birth, int sequence)
    {
        var body = area + birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + (sequence % 1000).ToString("000", CultureInfo.InvariantCulture);
        return body + CheckDigit(body);
    }

    public static bool IsValid(string number) =>
        number.Length == 18 && number[..17].All(char.IsAsciiDigit) && char.ToUpperInvariant(number[17]) == CheckDigit(number[..17]);

    static char CheckDigit(string first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += (first17[i] - '0') * Weights[i];
        return CheckCodes[sum % 11];
    }
}
