using SecurityAlexa.Local;

return await LocalRunner.RunAsync(args, Console.In, Console.Out, Console.Error, CancellationToken.None).ConfigureAwait(false);
