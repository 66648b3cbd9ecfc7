using CleanProdFlow.Reliability;

// dotnet run -c Release --project tests/CleanProdFlow.Reliability -- all --provider sqlite|postgres [--connection …] [--cases N] [--kills N]
ReliabilityOptions options;
try
{
    options = ReliabilityOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine("usage: crash|two-nodes|all --provider sqlite|postgres [--connection \"Host=…\"] [--cases N] [--kills N] [--clients N] [--races N] [--seed N] [--output file.json]");
    return 2;
}
var summaries = await Harness.RunAsync(options, Console.Out);
return summaries.All(s => s.Passed) ? 0 : 1;
