using Sandbox.Engine.Rules;

namespace Sandbox.Suppliers.Top.Gateway;

/// <summary>
/// What scenario rules see of a TOP call: a parameter by name (<c>order_id</c>), or a field inside a structured
/// parameter by path (<c>create_order_request.out_order_no</c>, <c>search_flight_info_req.search_od_info_list[*].dep_city_code</c>).
/// </summary>
public sealed class TopRequestView(TopCall call) : IRequestView
{
    public IEnumerable<string> Values(string path)
    {
        if (call.Request.Params.TryGetValue(path, out var value)) return [value];
        var cut = path.IndexOfAny(['.', '[']);
        if (cut <= 0 || path[cut] != '.' || call.Json(path[..cut]) is not { } root) return [];
        return new JsonRequestView(root).Values(path[(cut + 1)..]);
    }
}
