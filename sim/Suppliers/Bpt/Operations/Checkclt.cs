using Sandbox.Suppliers.Bpt.Protocol;

namespace Sandbox.Suppliers.Bpt.Operations;

/// <summary>
/// checkclt (spec §5.1): is the server running. <c>Code</c> is capitalised: TRP tests the substring &lt;Code&gt;1&lt;/Code&gt;.
/// JSON also carries the lower-case <c>code</c> every other command uses, so a JSON client reads one key for all.
/// </summary>
static class Checkclt
{
    public const string RunningText = "本票通服务器版运行中";

    public static BptReply Running() => new BptReply("pnrinfo").Add("Code", "1").AliasInJson("code").Add("message", RunningText);

    public static BptReply Handle(BptCall call) => Running();
}
