/// What to do so that a cause does not recur, per mechanism; and what to check by hand when the
/// logs do not show the cause.
public enum ActionItems {
    /// The items are Markdown (code spans for commands); the service name, which comes from
    /// the logs, is reduced to safe characters first and only ever shown inside a code span
    /// (a name like `www.example.io` or `_x_` would otherwise become a link or emphasis).
    public static func items(for m: CauseMechanism, service rawService: String?) -> [String] {
        let service = rawService.map(safeName)
        let s = service.map { "`\($0)`" } ?? "the web server"
        let unit = service.map { $0 == "apache" ? "apache2" : $0 == "php-fpm" ? "php-fpm" : $0 } ?? "nginx"
        switch m {
        case .oomKill:
            return ["Find what used the memory at the time of the kill (`journalctl -k -g 'Killed process'`, the OOM task table) and size workers to the RAM: php-fpm `pm.max_children` × memory per child, Apache `MaxRequestWorkers`, nginx worker count.",
                    "Give \(s) a memory budget it cannot exceed silently (`MemoryHigh=`/`MemoryMax=` in the unit) and add swap or RAM if the box is at its limit.",
                    "Make sure \(s) comes back by itself: `Restart=on-failure` in the unit (`systemctl edit \(unit)`).",
                    "Alert on OOM kills of web-serving processes, not only on 521s."]
        case .crash:
            return ["Get the core dump (`coredumpctl list \(unit)`) and the version in use; upgrade or report the crash.",
                    "Make sure \(s) is restarted automatically: `Restart=on-failure` in the unit.",
                    "Alert when the web server's main process exits abnormally."]
        case .configError:
            return ["Fix the configuration error named in the evidence, then test before every reload or restart: `nginx -t` / `apachectl configtest` as a gate in deploys.",
                    "Use `systemctl reload` (which keeps the old workers on a bad config) rather than `restart` when applying configuration changes.",
                    "Keep the last good configuration in version control so it can be rolled back in seconds."]
        case .restartFailed:
            return ["Read why the start failed: `systemctl status \(unit)` and `journalctl -u \(unit) -b`.",
                    "Check the unit's start limit (`StartLimitBurst=`, `StartLimitIntervalSec=`) and what it depends on.",
                    "Alert on failed starts of web-serving units."]
        case .stopped:
            return ["Find who or what stopped \(s) (deploy scripts, package upgrades, `needrestart`, configuration management) and make it start it again.",
                    "Enable the unit so it starts at boot: `systemctl enable \(unit)`.",
                    "Add an external health check that connects to the origin directly."]
        case .mpmConflict:
            return ["Load exactly one Apache MPM: `apachectl -M | grep mpm`, then `a2dismod` the extra one (e.g. `a2dismod mpm_prefork` when using event with php-fpm).",
                    "Run `apachectl configtest` after package upgrades and module changes, before restarting."]
        case .resourceExhaustion:
            return ["Raise the limit that was hit (php-fpm `pm.max_children`, Apache `MaxRequestWorkers`, nginx `worker_connections`, `LimitNOFILE=`) within the memory available.",
                    "Look for slow requests that hold workers (php-fpm `request_slowlog_timeout`, upstream timeouts).",
                    "Alert on saturation warnings before they turn into refused connections."]
        case .firewallBlock:
            return ["Allow all of Cloudflare's published ranges (https://www.cloudflare.com/ips/) to ports 80 and 443, ahead of any blocking rule.",
                    "Keep that allow-list in sync automatically (cron or configuration management) instead of by hand.",
                    "CSF/lfd: put Cloudflare's ranges in `csf.allow` and `csf.ignore` so that `CT_LIMIT`/`PS_LIMIT` never block edges. fail2ban: restore visitor IPs (`CF-Connecting-IP` with `set_real_ip_from` / mod_remoteip) or add the ranges to `ignoreip`.",
                    "Unblock the edge addresses that are still blocked (`csf -dr IP`, `fail2ban-client unban IP`, `ufw delete …`)."]
        case .securityGroup:
            return ["Allow Cloudflare's published ranges to ports 80 and 443 in the instance's security group / network ACL.",
                    "Manage that rule from code (Terraform or similar) fed by Cloudflare's IP list, so it cannot drift."]
        case .wafBlock:
            return ["Review the ModSecurity rules that fired and exclude Cloudflare's edge addresses from IP-based rules.",
                    "Restore visitor IPs (`CF-Connecting-IP`) so rules see real clients, not edges."]
        case .listenAddress:
            return ["Listen on the public address: `listen 80;` / `listen [::]:80;` (not `listen 127.0.0.1:80`), and the same for 443.",
                    "After every deploy, verify the listening sockets (`ss -ltnp`) and run `nginx -t` before reloading.",
                    "Add an external health check that connects to the origin's public IP."]
        case .portClosed:
            return ["Make sure something listens on port 443 (`ss -ltnp | grep :443`): `listen 443 ssl;` with a certificate, or switch the zone's SSL mode to match what the origin serves.",
                    "Check that the firewall allows 443 as well as 80."]
        case .bindError:
            return ["Find the process holding the port (`ss -ltnp 'sport = :80'`) and stop it, or fix the duplicate `listen` directive.",
                    "Avoid starting two web servers on the same port (packages that pull in apache2 beside nginx)."]
        case .dnsMismatch:
            return ["Check the zone's A/AAAA records in Cloudflare: they must point to the origin that serves the site.",
                    "Record the expected origin address and pass it with `--origin-ip` to catch changes.",
                    "Review who changed DNS and when (Cloudflare audit log)."]
        case .unknown:
            return checks(service: service)
        }
    }

    /// Letters, digits and `.-_@:` only (unit names), at most 64 characters.
    static func safeName(_ s: String) -> String {
        let kept = s.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || ".-_@:".unicodeScalars.contains($0)) }
        let t = String(String.UnicodeScalarView(kept.prefix(64)))
        return t.isEmpty ? "the service" : t
    }

    /// Manual checks when the logs do not show the cause.
    public static func checks(service: String?) -> [String] {
        ["`systemctl status nginx apache2 'php*-fpm'` — is the web server running, and since when?",
         "`ss -ltnp` — is anything listening on 0.0.0.0:80 and :443 (not only 127.0.0.1)?",
         "`ufw status verbose`, `iptables -S`, `nft list ruleset`, `csf -g <edge IP>`, `fail2ban-client banned` — is any Cloudflare address blocked?",
         "`curl -sv --resolve www.example.com:443:<origin IP> https://www.example.com/` from outside — does the origin answer directly?",
         "`journalctl --since '<start>' --until '<end>'` and the kernel log around the window, if they were not among the inputs.",
         "Check the zone's DNS records and SSL mode in the Cloudflare dashboard."]
    }
}
