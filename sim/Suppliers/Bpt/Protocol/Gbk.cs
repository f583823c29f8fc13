using System.Text;

namespace Sandbox.Suppliers.Bpt.Protocol;

/// <summary>GBK (a superset of GB2312), BPT's wire encoding; available wherever the module's code runs, tests included.</summary>
public static class Gbk
{
    public static readonly Encoding Encoding = Create();

    static Encoding Create()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("GBK");
    }
}
