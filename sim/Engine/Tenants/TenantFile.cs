using System.Text.Json;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Yaml;
using YamlDotNet.RepresentationModel;

namespace Sandbox.Engine.Tenants;

/// <summary>Reads scenarios/tenants.yaml: the tenants that exist on a fresh start (at least <c>demo</c>).</summary>
public static class TenantFile
{
    public static IReadOnlyList<Tenant> Load(string path)
    {
        if (!File.Exists(path)) return [];
        var root = Yml.LoadMapping(File.ReadAllText(path), path);
        if (Yml.Get(root, "tenants") is not YamlSequenceNode list)
            throw Yml.Error(path, root, "expected a 'tenants:' list");
        var result = new List<Tenant>();
        foreach (var node in list.Children)
        {
            if (node is not YamlMappingNode m) throw Yml.Error(path, node, "each tenant must be a mapping");
            var json = Yml.ToJsonObject(m);
            Tenant t;
            try
            {
                t = json.Deserialize<Tenant>(StoreJson.Options)!;
            }
            catch (JsonException e)
            {
                throw Yml.Error(path, node, e.Message);
            }
            if (string.IsNullOrWhiteSpace(t.Id)) throw Yml.Error(path, node, "tenant needs an 'id'");
            result.Add(t);
        }
        return result;
    }
}
