using System.Globalization;
using System.Security.Cryptography;
using Sandbox.Suppliers.FliggyFlight.Model;
using Sandbox.Suppliers.FliggyFlight.Protocol;
using Sandbox.Suppliers.Top.Protocol;

namespace Sandbox.Suppliers.FliggyFlight.Operations;

/// <summary>
/// alitrip.flight.service.upload (附件上传, spec §2.11): proof for a special refund, as a multipart file part. The file
/// must be a JPEG, PNG or PDF (by name and by content) of at most 5 MB; the refund must still be under review. A refund
/// waiting for its proof (状态 2) moves to review (3). The sandbox keeps the file's name, size and SHA-256, not its bytes.
/// </summary>
static class Upload
{
    public const string Method = "alitrip.flight.service.upload";
    const long MaxBytes = 5 * 1024 * 1024;

    public static TopObject Handle(FlightCall call)
    {
        var refund = call.Refund(call.Top.Long("refund_order_id")!.Value);
        var fileName = call.Top.Str("file_name")!;
        var file = call.Top.File("file")!;
        var ext = Path.GetExtension(fileName).TrimStart('.').ToLowerInvariant();
        if (ext is not ("jpg" or "jpeg" or "png" or "pdf")) throw FlightError.AttachmentInvalid($"file_name '{fileName}': jpg, jpeg, png or pdf");
        if (file.Content.Length == 0 || file.Content.Length > MaxBytes) throw FlightError.AttachmentInvalid($"{file.Content.Length} bytes: 1 byte to 5 MB");
        if (!Looks(ext, file.Content)) throw FlightError.AttachmentInvalid($"the content is not a {ext} file");
        lock (refund)
        {
            if (refund.Status is not (RefundStatus.Applied or RefundStatus.WaitAttachment or RefundStatus.Auditing))
                throw FlightError.OrderStatusError($"refund is {refund.Status}: proof is accepted while it is under review");
            var key = "att_" + refund.Id + "_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
            refund.Attachments.Add(new Attachment
            {
                FileKey = key, FileName = fileName, Size = file.Content.Length,
                Sha256 = Convert.ToHexStringLower(SHA256.HashData(file.Content)), UploadedMs = call.NowMs,
            });
            refund.UpdatedMs = call.NowMs;
            if (!call.Transition(refund, FliggyFlightServices.RefundKind, Method)) call.Services.Refunds.Save(call.Uow, call.Tenant.Id, refund);
            call.Timeline(FliggyFlightServices.RefundKind, refund.Id, "attachment",
                new System.Text.Json.Nodes.JsonObject { ["fileKey"] = key, ["fileName"] = fileName, ["size"] = file.Content.Length.ToString(CultureInfo.InvariantCulture) });
            return FlightCall.Ok().Add("file_key", key);
        }
    }

    /// <summary>The file's signature matches its extension: FF D8 FF (JPEG), 89 50 4E 47 (PNG), %PDF.</summary>
    static bool Looks(string ext, byte[] b) => ext switch
    {
        "png" => b is [0x89, 0x50, 0x4E, 0x47, ..],
        "pdf" => b is [0x25, 0x50, 0x44, 0x46, ..],
        _ => b is [0xFF, 0xD8, 0xFF, ..],
    };
}
