return await Sandbox.Cli.SandboxCli.RunAsync(args, Console.Out, Console.Error);
