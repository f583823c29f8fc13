namespace Sandbox.Suppliers.Top.Gateway;

/// <summary><c>request_id</c>: 13 lower-case base-36 characters, like <c>15rmr1v6v30w1</c> in the FAQ (spec §1.6.1).</summary>
public static class TopRequestId
{
    const string Digits = "0123456789abcdefghijklmnopqrstuvwxyz";
    /// <summary>36^12: every value from here to long.MaxValue has exactly 13 base-36 digits.</summary>
    const long Min = 4_738_381_338_321_616_896;

    public static string Next()
    {
        var n = Random.Shared.NextInt64(Min, long.MaxValue);
        Span<char> s = stackalloc char[13];
        for (var i = 12; i >= 0; i--)
        {
            s[i] = Digits[(int)(n % 36)];
            n /= 36;
        }
        return new string(s);
    }
}
