using Sandbox;
using Sandbox.Engine;

if (args is ["yobaoxing", ..]) return Sandbox.Suppliers.Yobaoxing.Cli.ExportKeyCommand.Run(args[1..], Console.Out, Console.Error);
if (args is ["fliggybus", ..]) return Sandbox.Suppliers.FliggyBus.Cli.ConformanceCommand.Run(args[1..], Console.Out, Console.Error);

var app = SandboxApp.Build(args);
await app.StartSandboxAsync();
await app.RunAsync();
return 0;
