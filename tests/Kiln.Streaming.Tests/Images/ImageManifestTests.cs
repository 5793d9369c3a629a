using System.Text;
using Kiln.Streaming.Images;

namespace Kiln.Streaming.Tests.Images;

public class ImageManifestTests
{
    private const string H = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    [Fact]
    public void RoundTrips()
    {
        var manifest = new ImageManifest
        {
            ImageSize = 3 * 4096 + 1, ChunkSize = 4096, Chunks = [H, null, H, null],
            BootPack = new BootPackIndex { Id = H, Length = 8192, Alignment = 4096, SegmentSize = 4096, SegmentHashes = [H, H], Extents = [[0, 4096, 4096], [4096, 0, 4096]] },
        };
        var back = ImageManifest.Parse(manifest.ToJson(), "m");
        Assert.Equal(manifest.Chunks, back.Chunks);
        Assert.Equal(manifest.ComputeContentId(), back.ComputeContentId());
    }

    [Theory]
    [InlineData("""{"formatVersion":1,"imageSize":8192,"chunkSize":4096,"chunks":["H"]}""", "$.chunks")]
    [InlineData("""{"formatVersion":1,"imageSize":4096,"chunkSize":4000,"chunks":["H"]}""", "$.chunkSize")]
    [InlineData("""{"formatVersion":1,"imageSize":4096,"chunkSize":4096,"chunks":["../../etc"]}""", "$.chunks[0]")]
    [InlineData("""{"formatVersion":2,"imageSize":4096,"chunkSize":4096,"chunks":["H"]}""", "$.formatVersion")]
    [InlineData("""{"formatVersion":1,"imageSize":8192,"chunkSize":4096,"chunks":["H",null],"bootPack":{"id":"H","length":4096,"alignment":4096,"segmentSize":4096,"segmentHashes":["H"],"extents":[[0,8192,4096]]}}""", "$.bootPack.extents[0]")]
    [InlineData("""{"formatVersion":1,"imageSize":8192,"chunkSize":4096,"chunks":["H",null],"bootPack":{"id":"H","length":8192,"alignment":4096,"segmentSize":4096,"segmentHashes":["H","H"],"extents":[[0,0,4096],[0,4096,4096]]}}""", "$.bootPack.extents[1]")]
    [InlineData("""{"formatVersion":1,"imageSize":8192,"chunkSize":4096,"chunks":["H",null],"bootPack":{"id":"H","length":4096,"alignment":4096,"segmentSize":4096,"segmentHashes":[],"extents":[[0,0,4096]]}}""", "$.bootPack.segmentHashes")]
    [InlineData("""{"formatVersion":1,"imageSize":"big"}""", "$.imageSize")]
    public void HostileManifests_AreRefused_NamingTheField(string json, string path)
    {
        var e = Assert.Throws<ManifestException>(() => ImageManifest.Parse(Encoding.UTF8.GetBytes(json.Replace("\"H\"", $"\"{H}\"")), "bad"));
        Assert.Equal(path, e.JsonPath);
        Assert.Contains("manifest 'bad'", e.Message);
    }
}
