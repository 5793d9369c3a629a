using System.CommandLine;
using System.Diagnostics;
using Kiln.TestImages;

namespace Kiln.Cli.Commands;

/// <summary><c>kiln testimage build|build-all</c>: builds the project's test disk images.</summary>
public static class TestImageCommand
{
    public static Command Create()
    {
        var command = new Command("testimage", "Build test disk images (raw, sparse) without mounting anything.");
        command.Subcommands.Add(CreateBuild());
        command.Subcommands.Add(CreateBuildAll());
        return command;
    }

    private static Option<int> WorkingSetFilesOption() => new("--working-set-files")
    {
        Description = "Number of files the init reads before printing KILN-READY.",
        DefaultValueFactory = _ => new TestImageSpec().WorkingSetFiles,
    };

    private static Option<int> WorkingSetMbOption() => new("--working-set-mb")
    {
        Description = "Total size of the boot working set in MiB (random data).",
        DefaultValueFactory = _ => new TestImageSpec().WorkingSetMegabytes,
    };

    private static Command CreateBuild()
    {
        var variant = new Option<string>("--variant")
        {
            Description = "One of: " + string.Join(", ", TestImageSpec.VariantNames),
            Required = true,
        };
        variant.AcceptOnlyFromAmong([.. TestImageSpec.VariantNames]);
        var output = new Option<string>("--out") { Description = "Output raw image file.", Required = true };
        var files = WorkingSetFilesOption();
        var megabytes = WorkingSetMbOption();
        var command = new Command("build", "Build one test image variant.") { variant, output, files, megabytes };
        command.SetAction(async (parse, ct) =>
        {
            var spec = TestImageSpec.FromName(parse.GetValue(variant)!) with
            {
                WorkingSetFiles = parse.GetValue(files),
                WorkingSetMegabytes = parse.GetValue(megabytes),
            };
            await BuildOneAsync(spec, parse.GetValue(output)!, ct);
            return 0;
        });
        return command;
    }

    private static Command CreateBuildAll()
    {
        var directory = new Argument<string>("DIR") { Description = "Folder to write <variant>.raw files into." };
        var files = WorkingSetFilesOption();
        var megabytes = WorkingSetMbOption();
        var command = new Command("build-all", "Build every test image variant into DIR.") { directory, files, megabytes };
        command.SetAction(async (parse, ct) =>
        {
            var dir = parse.GetValue(directory)!;
            foreach (var name in TestImageSpec.VariantNames)
            {
                var spec = TestImageSpec.FromName(name) with
                {
                    WorkingSetFiles = parse.GetValue(files),
                    WorkingSetMegabytes = parse.GetValue(megabytes),
                };
                await BuildOneAsync(spec, Path.Combine(dir, name + ".raw"), ct);
            }
            return 0;
        });
        return command;
    }

    private static async Task BuildOneAsync(TestImageSpec spec, string output, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        await TestImageFactory.BuildAsync(spec, output, ct);
        Console.WriteLine($"{spec.Name}: {output} ({new FileInfo(output).Length} bytes virtual) in {watch.Elapsed.TotalSeconds:F1} s");
    }
}
