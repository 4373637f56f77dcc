import Testing
@testable import OriginLens

/// One window of full 521 from minute 20 to minute 30 over an hour of traffic, then the
/// diagnosis with the given events.
private func diagnose(_ events: [OriginEvent], build: ((inout TrafficBuilder) -> Void)? = nil,
                      options: DiagnosisOptions = DiagnosisOptions()) -> (IncidentWindow, WindowShape, [Hypothesis]) {
    var b = TrafficBuilder()
    if let build { build(&b) } else {
        b.steady(fromMin: 0, toMin: 20, perMinute: 30)
        b.steady(fromMin: 20, toMin: 30, perMinute: 30, status: 521)
        b.steady(fromMin: 30, toMin: 60, perMinute: 30)
    }
    let t = b.done()
    let w = IncidentDetector.detect(t, options: options.detection)
    precondition(w.count == 1, "expected one window, got \(w.count)")
    let shape = WindowShape.describe(w[0], traffic: t)
    return (w[0], shape, Diagnoser.diagnose(w[0], shape: shape, events: events.sorted { $0.timeUs < $1.timeUs }, options: options))
}

@Suite struct DiagnosisTests {
    @Test func oomKillBeforeTheStartWithRestartAtTheEnd() {
        let (_, shape, h) = diagnose([
            event(.oomKill, at: 1195, service: "nginx", rule: "kernel-oom-killed"),
            event(.crash, at: 1196, service: "nginx", rule: "systemd-main-exit-killed"),
            event(.started, at: 1795, service: "nginx", rule: "systemd-started"),
        ])
        #expect(shape.extent == "full")
        #expect(shape.coloScope == "all")
        #expect(h.first?.mechanism == .oomKill)
        #expect(h.first?.service == "nginx")
        #expect(h.first?.recoveryEvent?.kind == .started)
        let c = Diagnoser.confidence(h)
        #expect(c.value >= 0.7)
    }

    @Test func configErrorOutranksTheFailedStartItCaused() {
        let (_, _, h) = diagnose([
            event(.stopped, at: 1190, service: "nginx", rule: "systemd-stopped"),
            event(.configError, at: 1195, service: "nginx", rule: "nginx-emerg-config"),
            event(.restartFailed, at: 1196, service: "nginx", rule: "systemd-failed-to-start"),
            event(.started, at: 1790, service: "nginx", rule: "systemd-started"),
        ])
        #expect(h.first?.mechanism == .configError)
        #expect(h.first?.mechanism.category == "service-down")
    }

    @Test func mpmConflict() {
        let (_, _, h) = diagnose([
            event(.configError, at: 1198, service: "apache", rule: "apache-AH00534-mpm-conflict"),
            event(.restartFailed, at: 1199, service: "apache", rule: "systemd-failed-to-start"),
        ])
        #expect(h.first?.mechanism == .mpmConflict)
        #expect(h.first?.service == "apache")
    }

    @Test func stoppedAndNotStartedAgain() {
        let (_, _, h) = diagnose([event(.stopped, at: 1185, service: "apache", rule: "systemd-stopped")])
        #expect(h.first?.mechanism == .stopped)
        let (_, _, h2) = diagnose([
            event(.stopped, at: 1000, service: "apache", rule: "systemd-stopped"),
            event(.started, at: 1010, service: "apache", rule: "systemd-started"),
        ])
        #expect(h2.first?.mechanism != .stopped)
    }

    @Test func eventsOfUnrelatedServicesWeighLittle() {
        let (_, _, h) = diagnose([event(.oomKill, at: 1195, service: "mysql", rule: "kernel-oom-killed")])
        #expect(Diagnoser.confidence(h).value < 0.25)
    }

    @Test func eventsLongBeforeTheLookbackAreIgnored() {
        let (_, _, h) = diagnose([event(.oomKill, at: 1200 - 3600, service: "nginx")])
        #expect(h.isEmpty)
    }

    @Test func noEvidenceMeansUnknown() {
        let (_, _, h) = diagnose([])
        #expect(h.isEmpty)
        #expect(Diagnoser.confidence(h).value == 0)
    }

    @Test func partialColosWithCDNBlocksPointToTheFirewall() {
        let (_, shape, h) = diagnose([
            event(.firewallBlock, at: 1190, service: "csf", rule: "lfd-blocked", address: "172.70.1.2", port: 443, cdn: true),
            event(.firewallUnblock, at: 1800, service: "csf", rule: "lfd-unblock"),
        ], build: { b in
            b.steady(fromMin: 0, toMin: 60, perMinute: 20, colo: "AMS")
            b.steady(fromMin: 0, toMin: 20, perMinute: 20, colo: "FRA")
            b.steady(fromMin: 20, toMin: 30, perMinute: 20, status: 521, colo: "FRA")
            b.steady(fromMin: 30, toMin: 60, perMinute: 20, colo: "FRA")
        })
        #expect(shape.extent == "partial")
        #expect(shape.coloScope == "subset")
        #expect(shape.failingColos == ["FRA"])
        #expect(shape.healthyColos == ["AMS"])
        #expect(h.first?.mechanism == .firewallBlock)
        #expect(h.first?.recoveryEvent?.kind == .firewallUnblock)
    }

    @Test func partialColosWithoutEventsStillLeanToFirewallButWeakly() {
        let (_, _, h) = diagnose([], build: { b in
            b.steady(fromMin: 0, toMin: 60, perMinute: 20, colo: "AMS")
            b.steady(fromMin: 20, toMin: 30, perMinute: 20, status: 521, colo: "FRA")
        })
        #expect(h.first?.mechanism == .firewallBlock)
        #expect(Diagnoser.confidence(h).value < 0.5)
    }

    @Test func deadServiceIsDoubtedWhenOnlySomeColosFail() {
        let (_, _, h) = diagnose([event(.crash, at: 1195, service: "nginx", rule: "systemd-main-exit-killed")], build: { b in
            b.steady(fromMin: 0, toMin: 60, perMinute: 20, colo: "AMS")
            b.steady(fromMin: 20, toMin: 30, perMinute: 20, status: 521, colo: "FRA")
        })
        let crash = h.first { $0.mechanism == .crash }
        #expect(crash != nil)
        #expect(crash!.score < 0.5)
    }

    @Test func httpsOnlyFailurePointsToPort443() {
        let (_, shape, h) = diagnose([], build: { b in
            b.steady(fromMin: 0, toMin: 60, perMinute: 20, scheme: "http")
            b.steady(fromMin: 0, toMin: 20, perMinute: 20, scheme: "https")
            b.steady(fromMin: 20, toMin: 30, perMinute: 20, status: 521, scheme: "https")
        })
        #expect(shape.httpsOnly)
        #expect(shape.schemeScope == "https-only")
        #expect(h.first?.mechanism == .portClosed)
        #expect(h.first?.mechanism.category == "listener")
    }

    @Test func bindError() {
        let (_, _, h) = diagnose([event(.bindError, at: 1199, service: "nginx", rule: "nginx-bind-failed")])
        #expect(h.first?.mechanism == .bindError)
    }

    @Test func originIPChangeIsADNSMismatch() {
        let (_, shape, h) = diagnose([], build: { b in
            b.steady(fromMin: 0, toMin: 20, perMinute: 30)
            b.steady(fromMin: 20, toMin: 30, perMinute: 30, status: 521, originIP: "198.51.100.99")
            b.steady(fromMin: 30, toMin: 60, perMinute: 30)
        })
        #expect(shape.newOriginIPs == ["198.51.100.99"])
        #expect(h.first?.mechanism == .dnsMismatch)
    }

    @Test func expectedOriginIPFlagsAMismatch() {
        var o = DiagnosisOptions()
        o.expectedOriginIP = "203.0.113.99"
        let (_, _, h) = diagnose([], options: o)
        #expect(h.first?.mechanism == .dnsMismatch)
    }

    @Test func securityGroupReject() {
        let (_, _, h) = diagnose([event(.securityGroupReject, at: 1200, service: nil, rule: "vpc-reject",
                                        address: "162.158.1.2", port: 443, cdn: true)])
        #expect(h.first?.mechanism == .securityGroup)
        #expect(h.first?.mechanism.category == "firewall")
    }

    @Test func firewallBlocksOfNonCDNAddressesAreNoise() {
        let (_, _, h) = diagnose([event(.firewallBlock, at: 1190, service: "ufw", rule: "ufw-block",
                                        address: "203.0.113.50", port: 22, cdn: false)])
        #expect(h.isEmpty)
    }

    @Test func reloadWithLoopbackOnlyAccessPointsToTheListenAddress() {
        let (_, shape, h) = diagnose([event(.reload, at: 1195, service: "nginx", rule: "nginx-reconfiguring")], build: { b in
            b.steady(fromMin: 0, toMin: 20, perMinute: 30)
            b.steady(fromMin: 20, toMin: 30, perMinute: 30, status: 521)
            b.steady(fromMin: 30, toMin: 60, perMinute: 30)
            for s in stride(from: 0.0, to: 3600.0, by: 10.0) { b.access(at: s, client: "127.0.0.1") }
            for s in stride(from: 0.0, to: 1200.0, by: 5.0) { b.access(at: s, client: "172.70.1.2") }
            for s in stride(from: 1800.0, to: 3600.0, by: 5.0) { b.access(at: s, client: "172.70.1.2") }
        })
        #expect(shape.accessFromCDN == 0)
        #expect(shape.accessFromLoopback > 0)
        #expect(h.first?.mechanism == .listenAddress)
    }

    @Test func cdnRequestsInTheAccessLogContradictTheFirewall() {
        let (_, shape, h) = diagnose([
            event(.firewallBlock, at: 1190, service: "csf", rule: "lfd-blocked", address: "172.70.1.2", port: 443, cdn: true),
        ], build: { b in
            b.steady(fromMin: 0, toMin: 20, perMinute: 30)
            b.steady(fromMin: 20, toMin: 30, perMinute: 30, status: 521)
            b.steady(fromMin: 30, toMin: 60, perMinute: 30)
            for s in stride(from: 0.0, to: 3600.0, by: 5.0) { b.access(at: s, client: "172.70.1.2") }
        })
        #expect(shape.accessFromCDN > 0)
        let fw = h.first { $0.mechanism == .firewallBlock }!
        #expect(fw.score < 0.4)
        #expect(fw.reasons.contains { $0.contains("access log shows Cloudflare requests") })
    }

    @Test func resourceExhaustionIsAWeakServiceDownCause() {
        let (_, _, h) = diagnose([event(.resourceExhaustion, at: 1190, service: "apache", rule: "apache-max-request-workers")])
        #expect(h.first?.mechanism == .resourceExhaustion)
        #expect(h.first?.mechanism.category == "service-down")
        #expect(Diagnoser.confidence(h).value < 0.5)
    }

    @Test func wafDenialsAloneAreNoConfidentCause() {
        let (_, _, h) = diagnose([event(.wafBlock, at: 1190, service: "apache", rule: "modsecurity-denied")])
        #expect(h.first?.mechanism == .wafBlock)
        #expect(h.first?.mechanism.category == "firewall")
        #expect(Diagnoser.confidence(h).value < 0.25)
    }

    @Test func temporaryBlockExpiryExplainsTheRecovery() {
        let block = event(.firewallBlock, at: 1199, service: "csf", rule: "lfd-blocked",
                          text: "(CT) IP 172.70.1.2 (US/United States/-) found to have 212 connections - *Blocked in csf* for 600 secs [CT_LIMIT]",
                          address: "172.70.1.2", port: 443, cdn: true)
        let (_, _, h) = diagnose([block])
        #expect(h.first?.mechanism == .firewallBlock)
        #expect(h.first?.recoveryText?.contains("(600 s) expired") == true)
        #expect(Diagnoser.temporaryBlockSeconds(block.text) == 600)
    }
}
