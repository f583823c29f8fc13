using Sandbox;
using Sandbox.Engine;

var app = SandboxApp.Build(args);
await app.StartSandboxAsync();
await app.RunAsync();
