using System.Security.Cryptography;

namespace Sandbox.Suppliers.Yobaoxing.Protocol;

/// <summary>
/// TripleDES-EDE (C = E_K3(D_K2(E_K1(P)))) in ECB mode with PKCS7 padding, the supplier's only cipher (spec §2.5.1).
/// Keys .NET accepts go through the platform's TripleDES; keys it rejects as weak (K1 = K2 or K2 = K3, which every
/// export password of 8 characters or fewer produces) go through <see cref="Des"/> composed by hand, so the
/// sandbox produces and accepts the same bytes the supplier's routine does.
/// </summary>
public sealed class TripleDesEcb
{
    const int Block = 8;
    readonly TripleDES? _platform;
    readonly Des? _k1, _k2, _k3;

    public TripleDesEcb(byte[] key24) : this(key24, false)
    {
    }

    /// <summary><paramref name="composed"/> forces the hand-composed DES path (tests compare it with the platform's).</summary>
    internal TripleDesEcb(byte[] key24, bool composed)
    {
        if (key24.Length != 24) throw new ArgumentException($"a TripleDES key is 24 bytes, got {key24.Length}", nameof(key24));
        if (composed || TripleDES.IsWeakKey(key24))
        {
            _k1 = new Des(key24.AsSpan(0, 8));
            _k2 = new Des(key24.AsSpan(8, 8));
            _k3 = new Des(key24.AsSpan(16, 8));
            return;
        }
        _platform = TripleDES.Create();
        _platform.Key = key24;
    }

    /// <summary>True when the key is one .NET refuses and the hand-composed DES is used.</summary>
    public bool ComposedFromDes => _platform is null;

    public byte[] Encrypt(ReadOnlySpan<byte> plain)
    {
        if (_platform is not null)
            lock (_platform) return _platform.EncryptEcb(plain, PaddingMode.PKCS7);
        var pad = Block - plain.Length % Block;
        var data = new byte[plain.Length + pad];
        plain.CopyTo(data);
        data.AsSpan(plain.Length).Fill((byte)pad);
        Span<byte> a = stackalloc byte[Block], b = stackalloc byte[Block];
        for (var i = 0; i < data.Length; i += Block)
        {
            var block = data.AsSpan(i, Block);
            _k1!.EncryptBlock(block, a);
            _k2!.DecryptBlock(a, b);
            _k3!.EncryptBlock(b, block);
        }
        return data;
    }

    /// <summary>Decrypts and strips PKCS7 padding; null when the ciphertext is not a whole number of blocks or the padding is wrong.</summary>
    public byte[]? Decrypt(ReadOnlySpan<byte> cipher)
    {
        if (cipher.Length == 0 || cipher.Length % Block != 0) return null;
        if (_platform is not null)
        {
            try
            {
                lock (_platform) return _platform.DecryptEcb(cipher, PaddingMode.PKCS7);
            }
            catch (CryptographicException)
            {
                return null;
            }
        }
        var data = cipher.ToArray();
        Span<byte> a = stackalloc byte[Block], b = stackalloc byte[Block];
        for (var i = 0; i < data.Length; i += Block)
        {
            var block = data.AsSpan(i, Block);
            _k3!.DecryptBlock(block, a);
            _k2!.EncryptBlock(a, b);
            _k1!.DecryptBlock(b, block);
        }
        int pad = data[^1];
        if (pad is < 1 or > Block) return null;
        for (var i = data.Length - pad; i < data.Length; i++)
            if (data[i] != pad) return null;
        return data[..^pad];
    }
}
