using Kiln.Machines;
using Kiln.Storage.Inspection;
using Kiln.Storage.Profiles;

namespace Kiln.Optimization;

/// <summary>What <see cref="BootOptimizer.OptimizeAsync"/> produced: the profile, and the inspection and firmware it was recorded with.</summary>
public sealed record BootOptimizationResult(BootProfile Profile, ImageFacts Facts, MachineGeneration Generation);
