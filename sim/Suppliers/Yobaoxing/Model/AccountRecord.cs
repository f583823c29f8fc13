using System.Text.Json.Serialization;
using Sandbox.Engine.Storage;

namespace Sandbox.Suppliers.Yobaoxing.Model;

/// <summary>
/// One transaction on the agent's deposit (YFK) or rebate (FK) account, as QueryYFKJYRec / QueryFKJYRec list them
/// (spec §4.30, §4.33). The id is the document number (DJDH).
/// </summary>
public sealed class AccountRecord : Entity
{
    public const string DepositAccount = "YFK";
    public const string RebateAccount = "FK";

    [JsonPropertyName("account")] public string Account { get; set; } = DepositAccount;
    /// <summary>Deposit: "1" top-up, "2" redemption. Rebate: "0"…"A" of spec §4.32 ("9" internet sale, "A" internet refund).</summary>
    [JsonPropertyName("jylx")] public string Jylx { get; set; } = "";
    [JsonPropertyName("opening")] public decimal Opening { get; set; }
    [JsonPropertyName("amount")] public decimal Amount { get; set; }
    [JsonPropertyName("closing")] public decimal Closing { get; set; }
    [JsonPropertyName("orderId")] public string OrderId { get; set; } = "";
    /// <summary>YHDLM: who made the transaction — empty for the agent's own pages, the supplier's operator for top-ups.</summary>
    [JsonPropertyName("operator")] public string Operator { get; set; } = "";
    [JsonPropertyName("remark")] public string Remark { get; set; } = "";
    [JsonPropertyName("at")] public string At { get; set; } = "";
}
