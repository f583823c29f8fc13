using Sandbox.Suppliers.Bpt.Protocol;

namespace Sandbox.Suppliers.Bpt.Operations;

/// <summary>checkclt (spec §5.1): is the server running. <c>Code</c> is capitalised: TRP tests the substring &lt;Code&gt;1&lt;/Code&gt;.</summary>
static class Checkclt
{
    public const string RunningText = "本票通服务器版运行中";

    public static BptReply Running() => new BptReply("pnrinfo").Add("Code", "1").Add("message", RunningText);

    public static BptReply Handle(BptCall call) => Running();
}
