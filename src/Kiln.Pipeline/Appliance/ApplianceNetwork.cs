namespace Kiln.Pipeline.Appliance;

/// <summary>
/// The appliance's network: QEMU user-mode networking (slirp), so customizer scripts can
/// <c>apt-get install</c> or <c>curl</c> the way they do on Azure Image Builder's build VM.
/// Slirp needs no privileges and no host configuration; the guest sits behind a NAT and gets
/// no inbound connections. Its addresses are fixed here and given to QEMU explicitly, so the
/// static configuration /init applies (no DHCP wait under TCG) cannot drift from QEMU's defaults.
/// Slirp also forwards 10.0.2.2 to the host's own loopback: see the README's security note.
/// </summary>
public static class ApplianceNetwork
{
    public const string Subnet = "10.0.2.0/24";
    public const string GuestAddress = "10.0.2.15/24";

    /// <summary>Slirp's gateway; connections to it reach the host's 127.0.0.1.</summary>
    public const string Gateway = "10.0.2.2";

    /// <summary>Slirp's DNS forwarder (it asks the host's resolvers).</summary>
    public const string Nameserver = "10.0.2.3";

    /// <summary>The netdev id that ties QEMU's backend to the guest's NIC.</summary>
    public const string NetdevId = "kiln-net";

    /// <summary>
    /// The QEMU arguments for a virtio-net NIC on a slirp backend. IPv6 is off: /init configures
    /// IPv4 only, and a half-configured IPv6 makes tools try AAAA addresses first and time out.
    /// </summary>
    public static IReadOnlyList<string> QemuArguments() =>
    [
        "-netdev", $"user,id={NetdevId},net={Subnet},host={Gateway},dns={Nameserver},ipv6=off",
        "-device", $"virtio-net-pci,netdev={NetdevId}",
    ];
}
