using System.Security.Cryptography;
using System.Text;
using Sandbox.Suppliers.Yobaoxing.Protocol;

namespace Sandbox.Tests.Yobaoxing;

/// <summary>The key-export routine of spec §2.5.1, the field cipher, the password formula and the sandbox sign rule, on known inputs.</summary>
public sealed class YobaoxingCryptoTests
{
    const string DemoKey = "6F2C1A9E-4B7D-4E21-9C3A-5D8E7F0B1A24";

    [Fact]
    public void Des_matches_the_classic_known_answer()
    {
        var des = new Des(Convert.FromHexString("133457799BBCDFF1"));
        var block = new byte[8];
        des.EncryptBlock(Convert.FromHexString("0123456789ABCDEF"), block);
        Assert.Equal("85E813540F0AB405", Convert.ToHexString(block));
        var back = new byte[8];
        des.DecryptBlock(block, back);
        Assert.Equal("0123456789ABCDEF", Convert.ToHexString(back));
    }

    [Fact]
    public void Des_agrees_with_the_platform_on_random_keys()
    {
        var random = new Random(1234);
        for (var i = 0; i < 50; i++)
        {
            var key = new byte[8];
            var plain = new byte[8];
            random.NextBytes(key);
            random.NextBytes(plain);
            if (DES.IsWeakKey(key) || DES.IsSemiWeakKey(key)) continue;
            using var platform = DES.Create();
            platform.Key = key;
            var expected = platform.EncryptEcb(plain, PaddingMode.None);
            var actual = new byte[8];
            new Des(key).EncryptBlock(plain, actual);
            Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(actual));
        }
    }

    [Fact]
    public void Composed_TripleDes_agrees_with_the_platform_on_strong_keys()
    {
        var key = Encoding.UTF8.GetBytes(DemoKey[..24]);
        var plain = Encoding.UTF8.GetBytes("这是一段需要加密的中文 and ASCII text, 37 bytes+");
        using var platform = TripleDES.Create();
        platform.Key = key;
        var expected = platform.EncryptEcb(plain, PaddingMode.PKCS7);
        var composed = new TripleDesEcb(key, composed: true);
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(composed.Encrypt(plain)));
        Assert.Equal(plain, composed.Decrypt(expected));
    }

    [Fact]
    public void The_platform_rejects_the_key_a_short_export_password_produces()
    {
        var key = YobaoxingCrypto.ExportKeyBytes("ybx2024");
        Assert.Equal("ybx20240000000000000000", Encoding.ASCII.GetString(key)[..23]);
        using var platform = TripleDES.Create();
        Assert.Throws<CryptographicException>(() => platform.Key = key);
        Assert.True(new TripleDesEcb(key).ComposedFromDes);
    }

    /// <summary>With K2 = K3 the EDE chain collapses to single DES under K1: the supplier's value is DES-ECB with "ybx20240".</summary>
    [Theory]
    [InlineData("ybx2024")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("12345678")]
    public void Export_with_a_short_password_equals_single_DES_under_the_first_key_part(string exportPassword)
    {
        var k1 = Encoding.ASCII.GetBytes((exportPassword + "00000000")[..8]);
        using var des = DES.Create();
        if (DES.IsWeakKey(k1)) return;
        des.Key = k1;
        var expected = Convert.ToBase64String(des.EncryptEcb(Encoding.UTF8.GetBytes(DemoKey), PaddingMode.PKCS7));
        Assert.Equal(expected, YobaoxingCrypto.ExportKey(DemoKey, exportPassword));
        Assert.Equal(DemoKey, YobaoxingCrypto.ImportKey(expected, exportPassword));
    }

    [Fact]
    public void Demo_tenant_bin_content()
    {
        // 56 Base64 characters, like the document's sample: 36 bytes of KEY + 4 bytes of PKCS7 padding.
        var bin = YobaoxingCrypto.ExportKey(DemoKey, "ybx2024");
        Assert.Equal("JTGqHZkOGH55+lqxYr/TipiKFxdtkPaoXnjh1sFuY82qhQCJLiMmZw==", bin);
        Assert.Equal(56, bin.Length);
        Assert.Null(YobaoxingCrypto.ImportKey(bin, "wrong-password"));
    }

    [Fact]
    public void Export_with_a_long_password_uses_the_platform_and_round_trips()
    {
        var password = "a-much-longer-export-password-than-24";
        using var platform = TripleDES.Create();
        platform.Key = Encoding.UTF8.GetBytes(password[..24]);
        var expected = Convert.ToBase64String(platform.EncryptEcb(Encoding.UTF8.GetBytes(DemoKey), PaddingMode.PKCS7));
        Assert.Equal(expected, YobaoxingCrypto.ExportKey(DemoKey, password));
        Assert.Equal(DemoKey, YobaoxingCrypto.ImportKey(expected, password));
    }

    [Fact]
    public void Non_ascii_export_password_is_refused()
    {
        Assert.Throws<ArgumentException>(() => YobaoxingCrypto.ExportKey(DemoKey, "密码密码密码密码"));
    }

    [Fact]
    public void Password_field_is_TripleDes_of_upper_md5_with_the_first_24_key_characters()
    {
        var md5 = Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes("demo123456")));
        using var platform = TripleDES.Create();
        platform.Key = Encoding.UTF8.GetBytes(DemoKey[..24]);
        var expected = Convert.ToBase64String(platform.EncryptEcb(Encoding.UTF8.GetBytes(md5), PaddingMode.PKCS7));
        Assert.Equal(expected, YobaoxingCrypto.PasswordField("demo123456", DemoKey));
        Assert.Equal(md5, YobaoxingCrypto.Decrypt(expected, DemoKey));
        Assert.Equal(md5, YobaoxingCrypto.Decrypt(expected.Replace('+', ' '), DemoKey));
        Assert.Null(YobaoxingCrypto.Decrypt("not base64 at all!", DemoKey));
    }

    [Fact]
    public void Sign_covers_non_empty_parameters_except_sign_and_sign_type_sorted_by_lower_case_name()
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("User", "demo_agent"), new("sign_type", "MD5"), new("Order_id", "20240101120000000001"), new("sign", "X"),
            new("empty", ""), new("Mobile", "ab+c/=="),
        };
        var expectedText = "mobile=ab+c/==&order_id=20240101120000000001&user=demo_agent&key=" + DemoKey;
        Assert.Equal(expectedText, YobaoxingSign.StringToSign(fields, DemoKey));
        Assert.Equal(Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(expectedText))), YobaoxingSign.Sign(fields, DemoKey));
        Assert.True(YobaoxingSign.Verify(fields, DemoKey, YobaoxingSign.Sign(fields, DemoKey).ToLowerInvariant()));
        Assert.False(YobaoxingSign.Verify(fields, DemoKey + "x", YobaoxingSign.Sign(fields, DemoKey)));
    }
}
