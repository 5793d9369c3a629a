using System.Globalization;
using System.Text.Json.Nodes;

namespace Kiln.Domain.Tests.Templates;

/// <summary>
/// One edit of a test body: "path=json" sets (creating objects on the way), "-path" removes.
/// Paths use dots and [i], as the error targets do, so a row reads like the error it expects.
/// </summary>
public sealed record JsonEdit(string Spec)
{
    public override string ToString() => Spec;

    public void ApplyTo(JsonObject root)
    {
        var remove = Spec.StartsWith('-');
        var eq = Spec.IndexOf('=');
        var path = remove ? Spec[1..] : Spec[..eq];
        var value = remove ? null : JsonNode.Parse(Spec[(eq + 1)..]);
        var steps = Steps(path);
        JsonNode current = root;
        for (var i = 0; i < steps.Count - 1; i++)
            current = Child(current, steps[i]);
        var last = steps[^1];
        if (last is int index)
        {
            var arr = current.AsArray();
            if (remove)
                arr.RemoveAt(index);
            else if (index == arr.Count)
                arr.Add(value);
            else
                arr[index] = value;
        }
        else if (remove)
            current.AsObject().Remove((string)last);
        else
            current.AsObject()[(string)last] = value;
    }

    private static JsonNode Child(JsonNode node, object step)
    {
        if (step is int i)
            return node.AsArray()[i]!;
        var obj = node.AsObject();
        if (obj[(string)step] is null)
            obj[(string)step] = new JsonObject();
        return obj[(string)step]!;
    }

    private static List<object> Steps(string path)
    {
        var steps = new List<object>();
        foreach (var part in path.Split('.'))
        {
            var name = part;
            var bracket = name.IndexOf('[');
            if (bracket < 0)
            {
                steps.Add(name);
                continue;
            }
            if (bracket > 0)
                steps.Add(name[..bracket]);
            foreach (var idx in name[bracket..].Split('[', StringSplitOptions.RemoveEmptyEntries))
                steps.Add(int.Parse(idx.TrimEnd(']'), CultureInfo.InvariantCulture));
        }
        return steps;
    }
}
