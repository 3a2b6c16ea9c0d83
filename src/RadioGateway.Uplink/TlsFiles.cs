using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RadioGateway.Uplink;

/// <summary>Loads the PEM files of a TLS uplink, with errors that name the file and what is wrong with it.</summary>
public static class TlsFiles
{
    /// <summary>Every certificate in a PEM CA file.</summary>
    /// <exception cref="InvalidDataException">The file is unreadable or holds no certificate.</exception>
    public static X509Certificate2Collection LoadAuthorities(string caFile)
    {
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(caFile);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{caFile}: not a readable PEM certificate file ({e.Message})", e);
        }

        return authorities.Count > 0 ? authorities : throw new InvalidDataException($"{caFile}: holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }

    /// <summary>A client certificate with its private key, both PEM.</summary>
    /// <exception cref="InvalidDataException">Either file is unreadable, not PEM, or the key does not match.</exception>
    public static X509Certificate2 LoadClientCertificate(string certificateFile, string? keyFile)
    {
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
            // Windows' TLS stack cannot use an ephemeral PEM key; a PKCS#12 round trip gives it a persisted one.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new InvalidDataException($"{certificateFile}{(keyFile is null ? "" : " with key " + keyFile)}: not a usable PEM certificate and key ({e.Message})", e);
        }
    }
}
