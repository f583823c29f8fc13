using Sandbox.Suppliers.TechHouse.Protocol;

namespace Sandbox.Tests.Unit;

public class TechHouseSignatureTests
{
    const string Key = "ctPJAIdxUA3ptaWC";
    const string Secret = "024sYXZXMlFKaiAa65IYuMCB0hE2CgaP";

    [Fact]
    public void Document_sample_verifies_with_the_corrected_credentials()
    {
        Assert.Equal("15hhHQ8C6F9OxD/BNyztUPUJyiRlGPRafEkcI6q2E5Y=", TechHouseSignature.Sign(Key, Secret, "1500375695.65"));
        Assert.True(TechHouseSignature.Verify(Key, Secret, "1500375695.65", "15hhHQ8C6F9OxD/BNyztUPUJyiRlGPRafEkcI6q2E5Y="));
    }

    [Fact]
    public void Seed_ciphertext_with_OCR_damage_does_not_verify()
    {
        // The seed prints …yiRIGP…kcl6… (two l/I swaps in the second block): no key can produce it.
        Assert.False(TechHouseSignature.Verify(Key, Secret, "1500375695.65", "15hhHQ8C6F9OxD/BNyztUPUJyiRIGPRafEkcl6q2E5Y="));
    }

    [Theory]
    [InlineData("024sYXZXMFKaiAa65!YuMCB0hE2CgaP")]   // LowFareSearch page spelling (31 chars)
    [InlineData("024sYXZXMFKaiAa65IYuMCB0hE2CgaP")]   // SellSSR page spelling
    [InlineData("024sYXZXMIFKaiAa65lYuMCB0hE2CgaP")]  // GetBalance page spelling (32 chars)
    public void OCR_spellings_of_the_secret_do_not_reproduce_the_sample(string secret) =>
        Assert.NotEqual("15hhHQ8C6F9OxD/BNyztUPUJyiRlGPRafEkcI6q2E5Y=", TechHouseSignature.Sign(Key, secret, "1500375695.65"));

    [Fact]
    public void Signature_covers_key_and_timestamp_exactly_as_sent()
    {
        var a = TechHouseSignature.Sign(Key, Secret, "1500375695.65");
        Assert.NotEqual(a, TechHouseSignature.Sign(Key, Secret, "1500375695.650"));
        Assert.NotEqual(a, TechHouseSignature.Sign(Key + "x", Secret, "1500375695.65"));
        Assert.False(TechHouseSignature.Verify(Key, Secret, "1500375695.66", a));
    }

    [Fact]
    public void Short_secrets_are_zero_padded_and_long_ones_truncated_to_32_bytes()
    {
        Assert.Equal(TechHouseSignature.Sign(Key, "short", "1"), TechHouseSignature.Sign(Key, "short\0\0\0", "1"));
        Assert.Equal(TechHouseSignature.Sign(Key, Secret, "1"), TechHouseSignature.Sign(Key, Secret + "EXTRA", "1"));
        var k = TechHouseSignature.AesKey("abc");
        Assert.Equal(32, k.Length);
        Assert.Equal(new byte[] { 97, 98, 99, 0 }, k[..4]);
    }

    [Fact]
    public void Millisecond_timestamps_from_the_SellSSR_sample_sign_like_any_string()
    {
        var sig = TechHouseSignature.Sign(Key, Secret, "1547004532000");
        Assert.True(TechHouseSignature.Verify(Key, Secret, "1547004532000", sig));
        Assert.True(TechHouseSignature.Verify(Key, Secret, "1547004532000", "  " + sig + "\n"));
    }

    [Fact]
    public void Explanation_masks_secrets_and_shows_the_plaintext()
    {
        var text = TechHouseSignature.Explain(Key, Secret, "1500375695.65", "AAAA");
        Assert.Contains("ctPJ************&1500375695.65", text);
        Assert.DoesNotContain(Secret, text);
        Assert.Contains("IV = 16 zero bytes", text);
    }
}
