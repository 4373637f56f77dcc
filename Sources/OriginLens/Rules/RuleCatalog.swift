import Foundation

/// The rule catalog: every origin message OriginLens recognises, as data, in one place.
///
/// Order matters: the first matching rule wins, so specific rules come before general ones.
/// The texts are the exact message templates of `reference/log-formats.md` (section in each
/// rule's `reference`); docs/rules.md lists the catalog as a table.
///
/// Choices worth knowing:
/// - **One event per kernel OOM kill**, on the `Killed process N (comm)` line, which every kernel
///   version prints and which is never rate-limited. The report around it (`invoked
///   oom-killer`, the `oom-kill:` summary with `task_memcg=`, the task table, old kernels' `Kill
///   process … or sacrifice child` and `Task in … killed as a result of limit`) yields no
///   event. systemd's own OOM lines (`… killed by the OOM killer`, `Failed with result
///   'oom-kill'`) and systemd-oomd kills are separate events: they carry the unit.
/// - nginx **stop** is the master's `signal N (SIG…) received …, exiting|shutting down` line;
///   `gracefully shutting down`, `exiting` and `exit` are also written by the old workers on
///   every reload, so they yield no event.
/// - php-fpm children that exit on SIGQUIT/SIGTERM (reload, stop) are not crashes.
/// - systemd lifecycle messages (`Started`, `Stopped`, `Reloaded`, …) count only for PID 1 and
///   only for services (not sessions, mounts, timers, targets): `requireService`.
/// - Firewall and ban events are `warning` when the address is a CDN address or the port a web
///   port, `info` otherwise (`severityIfUnrelated`): scanners blocked on port 22 are routine.
public enum RuleCatalog {
    // Program patterns (globs on ident / implied program).
    static let nginx = ["nginx", "nginx-*"]
    static let apache = ["apache*", "httpd*"]
    static let phpFpm = ["php*fpm*"]
    static let kernel = ["kernel", ""]
    static let systemd = ["systemd"]
    static let pid1 = [1]

    // systemd catalog MESSAGE_IDs (sd-messages.h), reference §8.3/§8.4.
    static let midUnitStarted = "39f53479d3a045ac8e11786248231fbf"
    static let midUnitStopped = "9d1aaa27d60140bd96365438aad20286"
    static let midUnitFailed = "be02cf6855d2428ba40df7e9d022f03d"
    static let midUnitReloading = "d34d037fff1847e6ae669a370e694725"
    static let midUnitReloaded = "7b05ebc668384222baa8881179cfda54"
    static let midRestartScheduled = "5eb03494b6584870a536b337290809b3"
    static let midProcessExit = "98e322203f7a4ed290d09fe03c09fe15"
    static let midFailureResult = "d9b373ed55a64feb8242e02dbe79a49c"
    static let midSuccess = "7ad2d189f7e94e70a38c781354912448"
    static let midOutOfMemory = "fe6faa94e7774663a0da52717891d8ef"
    static let midOomdKill = "d989611b15e44c9dbf31e3c81256e4ed"
    static let midCoredump = "fc2e22bc6ee647b6b90729ab34a250b1"

    static let unitSources: [ServiceSource] = [.unit, .unitPrefix]
    static let jobSources: [ServiceSource] = [.unit, .jobText]
    static let programSources: [ServiceSource] = [.implied, .ident, .senderUnit]

    /// The built-in rules, in matching order.
    public static let rules: [Rule] = nginxRules + apacheRules + phpFpmRules + kernelRules
        + systemdRules + banRules + genericRules

    // MARK: nginx (§4.2)

    static let nginxRules: [Rule] = [
        Rule(id: "nginx-upstream-refused", kind: .upstreamRefused, severity: .warning,
             summary: "connect() … (111: Connection refused) while connecting to upstream", reference: "§4.2",
             programs: nginx, allOf: ["(111: Connection refused) while connecting to upstream"],
             service: programSources),
        Rule(id: "nginx-upstream-socket-missing", kind: .upstreamRefused, severity: .warning,
             summary: "connect() to unix:… failed (2: No such file or directory): the upstream (php-fpm) socket is gone",
             reference: "§4.2", programs: nginx,
             allOf: ["connect() to unix:", "(2: No such file or directory)"], service: programSources),
        Rule(id: "nginx-upstream-backlog-full", kind: .upstreamRefused, severity: .warning,
             summary: "(11: Resource temporarily unavailable) while connecting to upstream: listen queue full",
             reference: "§4.2", programs: nginx,
             allOf: ["(11: Resource temporarily unavailable) while connecting to upstream"], service: programSources),
        Rule(id: "nginx-upstream-permission", kind: .upstreamRefused, severity: .warning,
             summary: "(13: Permission denied) while connecting to upstream", reference: "§4.2",
             programs: nginx, allOf: ["(13: Permission denied) while connecting to upstream"],
             service: programSources),
        Rule(id: "nginx-no-live-upstreams", kind: .upstreamRefused, severity: .warning,
             summary: "no live upstreams while connecting to upstream (all peers marked down)", reference: "§4.2",
             programs: nginx, allOf: ["no live upstreams"], service: programSources),
        Rule(id: "nginx-upstream-connect-failed", kind: .upstreamRefused, severity: .warning,
             summary: "any other connect() … failed (…) while connecting to upstream", reference: "§4.2",
             programs: nginx, allOf: [" while connecting to upstream", "connect() ", "failed ("],
             service: programSources),
        Rule(id: "nginx-worker-signal", kind: .crash, severity: .critical,
             summary: "worker/cache manager/cache loader process N exited on signal S", reference: "§4.2",
             programs: nginx, allOf: [" exited on signal "],
             anyOf: ["worker process ", "cache manager process ", "cache loader process "],
             service: programSources),
        Rule(id: "nginx-worker-fatal-exit", kind: .crash, severity: .critical,
             summary: "worker process N exited with fatal code C and cannot be respawned", reference: "§4.2",
             programs: nginx, allOf: ["exited with fatal code"], service: programSources),
        Rule(id: "nginx-bind-failed", kind: .bindError, severity: .error,
             summary: "bind() to ADDR failed (98: Address already in use | 99: Cannot assign requested address | …)",
             reference: "§4.2", programs: nginx, allOf: ["bind() to ", " failed ("], service: programSources),
        Rule(id: "nginx-listen-failed", kind: .bindError, severity: .error,
             summary: "listen() to ADDR, backlog N failed (…)", reference: "§4.2",
             programs: nginx, allOf: ["listen() to ", " failed ("], service: programSources),
        Rule(id: "nginx-still-could-not-bind", kind: .bindError, severity: .error,
             summary: "still could not bind() (after 5 retries)", reference: "§4.2",
             programs: nginx, allOf: ["still could not bind()"], service: programSources),
        Rule(id: "nginx-config-test-failed", kind: .configError, severity: .error,
             summary: "nginx: configuration file F test failed", reference: "§4.2",
             programs: nginx, allOf: ["configuration file ", " test failed"], service: programSources),
        Rule(id: "nginx-config-unknown-directive", kind: .configError, severity: .error,
             summary: "unknown directive \"X\" in F:N", reference: "§4.2",
             programs: nginx, allOf: ["unknown directive "], service: programSources),
        Rule(id: "nginx-config-certificate", kind: .configError, severity: .error,
             summary: "cannot load certificate (key) \"F\": …", reference: "§4.2",
             programs: nginx, allOf: ["cannot load certificate"], service: programSources),
        Rule(id: "nginx-config-emerg", kind: .configError, severity: .error,
             summary: "[emerg] TEXT in F:N (or in command line), e.g. host not found in upstream", reference: "§4.2",
             programs: nginx, allOf: [" in "], require: [.emergLevel, .configLocation], service: programSources),
        Rule(id: "nginx-worker-connections", kind: .resourceExhaustion, severity: .warning,
             summary: "N worker_connections are not enough", reference: "§4.2",
             programs: nginx, allOf: ["worker_connections are not enough"], service: programSources),
        Rule(id: "nginx-reconfiguring", kind: .reload, severity: .notice,
             summary: "reconfiguring (master after SIGHUP)", reference: "§4.2",
             programs: nginx, startsWith: ["reconfiguring"], service: programSources),
        Rule(id: "nginx-signal-process", kind: .reload, severity: .info,
             summary: "signal process started (nginx -s …)", reference: "§4.2",
             programs: nginx, startsWith: ["signal process started"], service: programSources),
        Rule(id: "nginx-start-workers", kind: .started, severity: .notice,
             summary: "start worker processes (start, and again after each reload)", reference: "§4.2",
             programs: nginx, startsWith: ["start worker processes"], service: programSources),
        Rule(id: "nginx-stop-signal", kind: .stopped, severity: .warning,
             summary: "signal 15 (SIGTERM) received …, exiting / signal 3 (SIGQUIT) received …, shutting down (master)",
             reference: "§4.2", programs: nginx, startsWith: ["signal "], allOf: [" received"],
             anyOf: [", exiting", ", shutting down"], service: programSources),
        Rule(id: "nginx-emerg-other", kind: .configError, severity: .error,
             summary: "any other [emerg] line (open()/mkdir()/SSL setup failed …): nginx refuses to start or reload",
             reference: "§4.2", programs: nginx, require: [.emergLevel], service: programSources),
    ]

    // MARK: Apache httpd (§5.3)

    static let apacheRules: [Rule] = [
        Rule(id: "apache-child-coredump", kind: .crash, severity: .critical,
             summary: "AH00051 child pid N exit signal S, possible coredump in D", reference: "§5.3",
             programs: apache, allOf: ["child pid ", " exit signal ", "possible coredump"], service: programSources),
        Rule(id: "apache-child-exit-signal", kind: .crash, severity: .critical,
             summary: "AH00052 child pid N exit signal Segmentation fault (11) (2.2: same without code)", reference: "§5.3",
             programs: apache, allOf: ["child pid ", " exit signal "], service: programSources),
        Rule(id: "apache-parent-segfault", kind: .crash, severity: .critical,
             summary: "AH00060 seg fault or similar nasty error detected in the parent process", reference: "§5.3",
             programs: apache, allOf: ["seg fault or similar nasty error detected in the parent process"],
             service: programSources),
        Rule(id: "apache-fatal-exit", kind: .crash, severity: .critical,
             summary: "AH00050 Child N returned a Fatal error... Apache is exiting!", reference: "§5.3",
             programs: apache, allOf: ["returned a Fatal error"], service: programSources),
        Rule(id: "apache-mpm-conflict", kind: .configError, severity: .error,
             summary: "AH00534 Configuration error: More than one MPM loaded.", reference: "§5.3",
             programs: apache, allOf: ["More than one MPM loaded"], service: programSources),
        Rule(id: "apache-mpm-missing", kind: .configError, severity: .error,
             summary: "AH00534 Configuration error: No MPM loaded.", reference: "§5.3",
             programs: apache, allOf: ["No MPM loaded"], service: programSources),
        Rule(id: "apache-syntax-error", kind: .configError, severity: .error,
             summary: "AH00526 Syntax error on line N of F:", reference: "§5.3",
             programs: apache, allOf: ["Syntax error on line "], service: programSources),
        Rule(id: "apache-config-failed", kind: .configError, severity: .error,
             summary: "AH00013/AH00014/AH00016/AH00020 Pre-configuration failed / Configuration check failed / Configuration Failed",
             reference: "§5.3", programs: apache,
             anyOf: ["Pre-configuration failed", "Configuration check failed", "Configuration Failed"],
             service: programSources),
        Rule(id: "apache-certificate-config", kind: .configError, severity: .error,
             summary: "AH02572 Failed to configure at least one certificate and key for H", reference: "§5.3",
             programs: apache, allOf: ["Failed to configure at least one certificate and key"], service: programSources),
        Rule(id: "apache-unable-open-logs", kind: .configError, severity: .error,
             summary: "AH00015 Unable to open logs", reference: "§5.3",
             programs: apache, allOf: ["Unable to open logs"], service: programSources),
        Rule(id: "apache-bind-failed", kind: .bindError, severity: .error,
             summary: "AH00072 make_sock: could not bind to address A", reference: "§5.3",
             programs: apache, allOf: ["make_sock: could not bind to address"], service: programSources),
        Rule(id: "apache-listen-failed", kind: .bindError, severity: .error,
             summary: "AH00073 make_sock: unable to listen for connections on address A", reference: "§5.3",
             programs: apache, allOf: ["make_sock: unable to listen for connections"], service: programSources),
        Rule(id: "apache-no-listening-sockets", kind: .bindError, severity: .error,
             summary: "no listening sockets available, shutting down", reference: "§5.3",
             programs: apache, allOf: ["no listening sockets available"], service: programSources),
        Rule(id: "apache-max-workers", kind: .resourceExhaustion, severity: .warning,
             summary: "AH00161/AH00484/AH00286 server reached MaxRequestWorkers setting (2.2: MaxClients)", reference: "§5.3",
             programs: apache, anyOf: ["server reached MaxRequestWorkers setting", "server reached MaxClients setting"],
             service: programSources),
        Rule(id: "apache-near-max-workers", kind: .resourceExhaustion, severity: .warning,
             summary: "AH10159/AH00287 server is within MinSpareThreads of MaxRequestWorkers", reference: "§5.3",
             programs: apache, allOf: ["within MinSpareThreads of MaxRequestWorkers"], service: programSources),
        Rule(id: "apache-scoreboard-full", kind: .resourceExhaustion, severity: .warning,
             summary: "AH00288 scoreboard is full, not at MaxRequestWorkers", reference: "§5.3",
             programs: apache, allOf: ["scoreboard is full"], service: programSources),
        Rule(id: "apache-proxy-connect-failed", kind: .upstreamRefused, severity: .warning,
             summary: "AH00957 HTTP: attempt to connect to A failed (also FCGI AH02454)", reference: "§5.3",
             programs: apache, allOf: ["attempt to connect to ", " failed"], service: programSources),
        Rule(id: "apache-proxy-backend-failed", kind: .upstreamRefused, severity: .warning,
             summary: "AH01114 HTTP: failed to make connection to backend: H", reference: "§5.3",
             programs: apache, allOf: ["failed to make connection to backend"], service: programSources),
        Rule(id: "apache-proxy-worker-disabled", kind: .upstreamRefused, severity: .warning,
             summary: "AH00959 ap_proxy_connect_backend disabling worker for (H) for Ns", reference: "§5.3",
             programs: apache, allOf: ["ap_proxy_connect_backend disabling worker"], service: programSources),
        Rule(id: "apache-proxy-connection-disabled", kind: .upstreamRefused, severity: .warning,
             summary: "AH00940 HTTP: disabled connection for (H)", reference: "§5.3",
             programs: apache, allOf: ["disabled connection for ("], service: programSources),
        Rule(id: "apache-stop", kind: .stopped, severity: .warning,
             summary: "AH00169/AH00491/AH00295 caught SIGTERM, shutting down (also SIGWINCH, gracefully)", reference: "§5.3",
             programs: apache, anyOf: ["caught SIGTERM, shutting down", "caught SIGWINCH, shutting down"],
             service: programSources),
        Rule(id: "apache-graceful-restart", kind: .reload, severity: .notice,
             summary: "AH00171 Graceful restart requested, doing restart", reference: "§5.3",
             programs: apache, allOf: ["Graceful restart requested"], service: programSources),
        Rule(id: "apache-sighup-restart", kind: .reload, severity: .notice,
             summary: "AH00173/AH00494/AH00298 SIGHUP received.  Attempting to restart", reference: "§5.3",
             programs: apache, allOf: ["SIGHUP received."], service: programSources),
        Rule(id: "apache-resuming", kind: .started, severity: .notice,
             summary: "AH00163/AH00489/AH00292 … configured -- resuming normal operations", reference: "§5.3",
             programs: apache, allOf: ["configured -- resuming normal operations"], service: programSources),
    ]

    // MARK: php-fpm (§6.2)

    static let phpFpmRules: [Rule] = [
        Rule(id: "php-fpm-child-signal", kind: .crash, severity: .critical,
             summary: "[pool P] child N exited on signal S (not SIGQUIT/SIGTERM, which are reload/stop)",
             reference: "§6.2", programs: phpFpm, allOf: [" exited on signal ", "child "],
             noneOf: ["(SIGQUIT", "(SIGTERM"], service: programSources),
        Rule(id: "php-fpm-emergency-restart", kind: .crash, severity: .critical,
             summary: "failed processes threshold (N in S sec) is reached, initiating reload", reference: "§6.2",
             programs: phpFpm, allOf: ["failed processes threshold"], service: programSources),
        Rule(id: "php-fpm-max-children", kind: .resourceExhaustion, severity: .warning,
             summary: "[pool P] server reached pm.max_children setting (N), consider raising it", reference: "§6.2",
             programs: phpFpm, allOf: ["server reached pm.max_children setting"], service: programSources),
        Rule(id: "php-fpm-process-max", kind: .resourceExhaustion, severity: .warning,
             summary: "The maximum number of processes has been reached (process.max)", reference: "§6.2",
             programs: phpFpm, allOf: ["maximum number of processes has been reached"], service: programSources),
        Rule(id: "php-fpm-seems-busy", kind: .resourceExhaustion, severity: .warning,
             summary: "[pool P] seems busy (you may need to increase pm.start_servers …)", reference: "§6.2",
             programs: phpFpm, allOf: ["seems busy"], service: programSources),
        Rule(id: "php-fpm-bind-failed", kind: .bindError, severity: .error,
             summary: "unable to bind listening socket for address 'A': … (98)", reference: "§6.2",
             programs: phpFpm, allOf: ["unable to bind listening socket"], service: programSources),
        Rule(id: "php-fpm-init-failed", kind: .restartFailed, severity: .error,
             summary: "FPM initialization failed", reference: "§6.2",
             programs: phpFpm, allOf: ["FPM initialization failed"], service: programSources),
        Rule(id: "php-fpm-ready", kind: .started, severity: .notice,
             summary: "ready to handle connections", reference: "§6.2",
             programs: phpFpm, allOf: ["ready to handle connections"], service: programSources),
        Rule(id: "php-fpm-reloading", kind: .reload, severity: .notice,
             summary: "Reloading in progress ...", reference: "§6.2",
             programs: phpFpm, allOf: ["Reloading in progress"], service: programSources),
        Rule(id: "php-fpm-terminating", kind: .stopped, severity: .warning,
             summary: "Terminating ... (SIGTERM/SIGINT) / Finishing ... (SIGQUIT)", reference: "§6.2",
             programs: phpFpm, startsWith: ["Terminating ...", "Finishing ..."], service: programSources),
        Rule(id: "php-fpm-exiting", kind: .stopped, severity: .notice,
             summary: "exiting, bye-bye! (end of the same stop)", reference: "§6.2",
             programs: phpFpm, allOf: ["exiting, bye-bye!"], service: programSources),
    ]

    // MARK: Kernel (§8.1, §8.2, §8.5)

    static let kernelRules: [Rule] = [
        Rule(id: "kernel-oom-memcg-kill", kind: .oomKill, severity: .critical,
             summary: "Memory cgroup out of memory: Killed process N (comm) …", reference: "§8.1",
             programs: kernel, allOf: ["Memory cgroup out of memory: Killed process "], service: [.processComm]),
        Rule(id: "kernel-oom-kill", kind: .oomKill, severity: .critical,
             summary: "[Out of memory: ]Killed process N (comm) total-vm:… (one event per kill; all kernel versions)",
             reference: "§8.1", programs: kernel, allOf: ["Killed process ", "("], service: [.processComm]),
        Rule(id: "kernel-oom-panic", kind: .oomKill, severity: .critical,
             summary: "Kernel panic - not syncing: Out of memory … (panic_on_oom)", reference: "§8.1",
             programs: kernel, allOf: ["Kernel panic - not syncing: Out of memory"], service: [.fixed],
             fixedService: "kernel"),
        Rule(id: "kernel-segfault", kind: .crash, severity: .critical,
             summary: "comm[pid]: segfault at ADDR ip … sp … error N in FILE", reference: "§8.2",
             programs: kernel, allOf: ["]: segfault at "], service: [.bracketComm]),
        Rule(id: "kernel-trap", kind: .crash, severity: .critical,
             summary: "traps: comm[pid] general protection fault / trap invalid opcode …", reference: "§8.2",
             programs: kernel, allOf: ["traps: "], anyOf: [" general protection", " trap "], service: [.bracketComm]),
        Rule(id: "firewall-ufw-block", kind: .firewallBlock, severity: .warning, severityIfUnrelated: .info,
             summary: "[UFW BLOCK] / [UFW LIMIT BLOCK] IN=… SRC=… DPT=…", reference: "§8.5",
             programs: kernel, allOf: ["IN=", " SRC="], anyOf: ["[UFW BLOCK] ", "[UFW LIMIT BLOCK] "],
             service: [.fixed], fixedService: "ufw", extract: .netfilter),
        Rule(id: "firewall-firewalld", kind: .firewallBlock, severity: .warning, severityIfUnrelated: .info,
             summary: "firewalld LogDenied: filter_IN_<zone>_REJECT: / _DROP: / FINAL_REJECT: / _ICMP_BLOCK: IN=…",
             reference: "§8.5", programs: kernel, allOf: [" SRC="],
             anyOf: ["_REJECT: IN=", "_DROP: IN=", "_BLOCK: IN="], service: [.fixed], fixedService: "firewalld",
             extract: .netfilter),
        Rule(id: "firewall-csf", kind: .firewallBlock, severity: .warning, severityIfUnrelated: .info,
             summary: "Firewall: *TCP_IN Blocked* IN=… (CSF iptables LOG)", reference: "§8.5",
             programs: kernel, allOf: ["Firewall: *", " Blocked* ", " SRC="], service: [.fixed],
             fixedService: "csf", extract: .netfilter),
        Rule(id: "firewall-pve", kind: .firewallBlock, severity: .warning, severityIfUnrelated: .info,
             summary: "Proxmox VE firewall log: policy DROP: / REJECT: / DROP: IN=… SRC=… DPT=…", reference: "§8.5",
             programs: ["pve-firewall"], allOf: ["IN=", " SRC="], require: [.denyPrefix], service: [.fixed],
             fixedService: "pve-firewall", extract: .netfilter),
        Rule(id: "firewall-log-deny", kind: .firewallBlock, severity: .warning, severityIfUnrelated: .info,
             summary: "any netfilter LOG line whose prefix contains DROP, REJECT, BLOCK, DENY or DENIED (any case)",
             reference: "§8.5", programs: kernel, allOf: ["IN=", " SRC="], require: [.denyPrefix],
             service: [.fixed], fixedService: "netfilter", extract: .netfilter),
    ]

    // MARK: systemd, systemd-oomd, systemd-coredump (§8.3, §8.4)

    static let systemdRules: [Rule] = [
        Rule(id: "systemd-oomd-kill", kind: .oomKill, severity: .critical,
             summary: "systemd-oomd: Killed CGROUP due to memory pressure / memory used …", reference: "§8.4",
             programs: ["systemd-oomd"], startsWith: ["Killed "], allOf: [" due to memory"], service: [.cgroup]),
        Rule(id: "coredump-dumped", kind: .crash, severity: .critical,
             summary: "systemd-coredump: Process N (comm) of user U dumped core.", reference: "§8.4",
             programs: ["systemd-coredump"], allOf: ["Process ", " dumped core"], messageIDs: [midCoredump],
             service: [.processComm]),
        Rule(id: "coredump-no-core", kind: .crash, severity: .critical,
             summary: "systemd-coredump: Process N (comm) of user U terminated abnormally without generating a coredump.",
             reference: "§8.4", programs: ["systemd-coredump"],
             allOf: ["Process ", "terminated abnormally without generating a coredump"], messageIDs: [midCoredump],
             service: [.processComm]),
        Rule(id: "systemd-oom-killer", kind: .oomKill, severity: .critical,
             summary: "<unit>: A process of this unit has been killed by the OOM killer.", reference: "§8.3",
             programs: systemd, pids: pid1, allOf: ["killed by the OOM killer"], messageIDs: [midOutOfMemory],
             service: unitSources),
        Rule(id: "systemd-oomd-unit-kill", kind: .oomKill, severity: .critical,
             summary: "<unit>: systemd-oomd killed N process(es) in this unit.", reference: "§8.4",
             programs: systemd, pids: pid1, allOf: ["systemd-oomd killed "], messageIDs: [midOomdKill],
             service: unitSources),
        Rule(id: "systemd-result-oom-kill", kind: .oomKill, severity: .critical,
             summary: "<unit>: Failed with result 'oom-kill'.", reference: "§8.3",
             programs: systemd, pids: pid1, allOf: ["Failed with result 'oom-kill'"], messageIDs: [midFailureResult],
             unitResults: ["oom-kill"], service: unitSources),
        Rule(id: "systemd-main-killed", kind: .crash, severity: .critical,
             summary: "<unit>: Main process exited, code=killed|dumped, status=N/SIG (v219: main process exited)",
             reference: "§8.3", programs: systemd, pids: pid1,
             anyOf: ["ain process exited, code=killed", "ain process exited, code=dumped"], noneOf: ["(success)"],
             messageIDs: [midProcessExit], exitCodes: ["killed", "dumped"], service: unitSources),
        Rule(id: "systemd-result-crash", kind: .crash, severity: .critical,
             summary: "<unit>: Failed with result 'signal' | 'core-dump' | 'watchdog'.", reference: "§8.3",
             programs: systemd, pids: pid1,
             anyOf: ["Failed with result 'signal'", "Failed with result 'core-dump'", "Failed with result 'watchdog'"],
             messageIDs: [midFailureResult], unitResults: ["signal", "core-dump", "watchdog"], service: unitSources),
        Rule(id: "systemd-result-start-limit", kind: .restartFailed, severity: .error,
             summary: "<unit>: Failed with result 'start-limit-hit'.", reference: "§8.3",
             programs: systemd, pids: pid1, allOf: ["Failed with result 'start-limit-hit'"],
             messageIDs: [midFailureResult], unitResults: ["start-limit-hit"], service: unitSources),
        Rule(id: "systemd-result-failed", kind: .restartFailed, severity: .error,
             summary: "<unit>: Failed with result 'exit-code' | 'timeout' | 'resources' | 'protocol'.", reference: "§8.3",
             programs: systemd, pids: pid1,
             anyOf: ["Failed with result 'exit-code'", "Failed with result 'timeout'",
                     "Failed with result 'resources'", "Failed with result 'protocol'"],
             messageIDs: [midFailureResult], unitResults: ["exit-code", "timeout", "resources", "protocol"],
             service: unitSources),
        Rule(id: "systemd-start-limit", kind: .restartFailed, severity: .error,
             summary: "<unit>: Start request repeated too quickly. (v219: start request repeated too quickly for <unit>)",
             reference: "§8.3", programs: systemd, pids: pid1,
             anyOf: ["Start request repeated too quickly", "start request repeated too quickly"],
             service: [.unit, .unitPrefix, .unitInText]),
        Rule(id: "systemd-control-failed", kind: .restartFailed, severity: .error,
             summary: "<unit>: Control process exited, code=exited, status=N (N ≠ 0) or code=killed|dumped (all versions)",
             reference: "§8.3", programs: systemd, pids: pid1, allOf: ["ontrol process exited, code="],
             require: [.processFailed], service: unitSources),
        Rule(id: "systemd-failed-to-start", kind: .restartFailed, severity: .error,
             summary: "Failed to start <unit> - <description>. / Failed to start <description>.", reference: "§8.3",
             programs: systemd, pids: pid1, startsWith: ["Failed to start "], messageIDs: [midUnitFailed],
             service: jobSources),
        Rule(id: "systemd-dependency-failed", kind: .restartFailed, severity: .warning,
             summary: "Dependency failed for <unit/description>.", reference: "§8.3",
             programs: systemd, pids: pid1, startsWith: ["Dependency failed for "], service: jobSources),
        Rule(id: "systemd-start-timeout", kind: .restartFailed, severity: .error,
             summary: "Timed out starting <unit/description>.", reference: "§8.3",
             programs: systemd, pids: pid1, startsWith: ["Timed out starting "], service: jobSources),
        Rule(id: "systemd-exec-failed", kind: .restartFailed, severity: .error,
             summary: "Failed at step EXEC spawning P / Failed to locate executable P / Unable to locate executable 'P'",
             reference: "§8.3", programs: ["systemd*", "(*"],
             anyOf: ["Failed at step EXEC spawning", "Failed to locate executable", "Unable to locate executable"],
             service: [.unit, .unitPrefix, .senderUnit]),
        Rule(id: "systemd-unit-failed-v219", kind: .restartFailed, severity: .error,
             summary: "v219: <unit> failed.", reference: "§8.3 (version matrix)",
             programs: systemd, pids: pid1, allOf: [" failed."], require: [.unitFailedV219], service: unitSources),
        Rule(id: "systemd-restart-scheduled", kind: .restartScheduled, severity: .notice,
             summary: "<unit>: Scheduled restart job[, restart counter is at N]. (v219: <unit> holdoff time over, scheduling restart.)",
             reference: "§8.3", programs: systemd, pids: pid1,
             anyOf: ["Scheduled restart job", "holdoff time over, scheduling restart"],
             messageIDs: [midRestartScheduled], service: unitSources),
        Rule(id: "systemd-stopped", kind: .stopped, severity: .warning,
             summary: "Stopped <unit> - <description>. / Stopped <description>. (services only)", reference: "§8.3",
             programs: systemd, pids: pid1, startsWith: ["Stopped "], noneOf: ["Stopped target "],
             messageIDs: [midUnitStopped], service: jobSources, requireService: true),
        Rule(id: "systemd-deactivated", kind: .stopped, severity: .notice,
             summary: "<unit>: Deactivated successfully. (services only)", reference: "§8.3",
             programs: systemd, pids: pid1, allOf: ["Deactivated successfully."], messageIDs: [midSuccess],
             service: unitSources, requireService: true),
        Rule(id: "systemd-started", kind: .started, severity: .notice,
             summary: "Started <unit> - <description>. / Started <description>. (services only)", reference: "§8.3",
             programs: systemd, pids: pid1, startsWith: ["Started "], messageIDs: [midUnitStarted],
             service: jobSources, requireService: true),
        Rule(id: "systemd-reloaded", kind: .reload, severity: .notice,
             summary: "Reloaded <unit/description>. (services only)", reference: "§8.3",
             programs: systemd, pids: pid1, startsWith: ["Reloaded "], messageIDs: [midUnitReloaded],
             service: jobSources, requireService: true),
        Rule(id: "systemd-reloading", kind: .reload, severity: .info,
             summary: "Reloading <unit/description>. / … (v249+: ...) (services only)", reference: "§8.3",
             programs: systemd, pids: pid1, startsWith: ["Reloading "], messageIDs: [midUnitReloading],
             service: jobSources, requireService: true),
    ]

    // MARK: Ban tools and flow logs (§8.5)

    static let banRules: [Rule] = [
        Rule(id: "fail2ban-ban", kind: .firewallBlock, severity: .warning, severityIfUnrelated: .info,
             summary: "fail2ban [jail] Ban IP / [jail] Restore Ban IP", reference: "§8.5",
             programs: ["fail2ban*"], anyOf: ["] Ban ", "] Restore Ban "], service: [.fixed],
             fixedService: "fail2ban", extract: .fail2ban),
        Rule(id: "fail2ban-unban", kind: .firewallUnblock, severity: .notice, severityIfUnrelated: .info,
             summary: "fail2ban [jail] Unban IP / [jail] Repeal Ban IP", reference: "§8.5",
             programs: ["fail2ban*"], anyOf: ["] Unban ", "] Repeal Ban "], service: [.fixed],
             fixedService: "fail2ban", extract: .fail2ban),
        Rule(id: "lfd-blocked", kind: .firewallBlock, severity: .warning, severityIfUnrelated: .info,
             summary: "lfd: … *Blocked in csf* … [TRIGGER] (CT_LIMIT, PS_LIMIT, LF_* …)", reference: "§8.5",
             programs: ["lfd"], allOf: ["*Blocked in csf*"], service: [.fixed], fixedService: "csf",
             extract: .lfd),
        Rule(id: "vpc-reject-web", kind: .securityGroupReject, severity: .warning,
             summary: "VPC flow log (v2 default fields) REJECT toward dstport 80/443/8080/8443", reference: "§8.5",
             formats: [.vpcFlow], allOf: [" REJECT"], service: [.fixed], fixedService: "security-group",
             extract: .vpcFlow),
    ]

    // MARK: Any program

    static let genericRules: [Rule] = [
        Rule(id: "modsecurity-access-denied", kind: .wafBlock, severity: .warning,
             summary: "ModSecurity: … Access denied with code N (phase P) … (nginx and Apache)",
             reference: "— (ModSecurity; not in the reference)",
             allOf: ["ModSecurity", "Access denied"], service: [.implied, .ident, .senderUnit], extract: .client),
        Rule(id: "too-many-open-files", kind: .resourceExhaustion, severity: .warning,
             summary: "(24: Too many open files) / (24)Too many open files / Too many open files (24)", reference: "§4.2",
             allOf: ["Too many open files"], service: [.unit, .unitPrefix, .implied, .ident, .senderUnit]),
        Rule(id: "cannot-assign-address", kind: .bindError, severity: .error,
             summary: "Cannot assign requested address (listen address not on this host), not for upstream connects",
             reference: "§4.2, §5.3", allOf: ["Cannot assign requested address"],
             noneOf: ["while connecting to upstream", "connect() "],
             service: [.unit, .unitPrefix, .implied, .ident, .senderUnit]),
        Rule(id: "address-in-use", kind: .bindError, severity: .error,
             summary: "Address already in use (any program's listen socket)", reference: "§4.2, §5.3, §6.2",
             allOf: ["Address already in use"], noneOf: ["while connecting to upstream"],
             service: [.unit, .unitPrefix, .implied, .ident, .senderUnit]),
    ]

    // MARK: Loading user rules

    /// Decodes user rules from JSON (an array of rule objects; see `Rule` for the fields) and
    /// checks each. Throws `RuleCatalogError` naming the problem.
    public static func decode(_ data: Data, source: String = "rules") throws -> [Rule] {
        let rules: [Rule]
        do {
            rules = try JSONDecoder().decode([Rule].self, from: data)
        } catch {
            throw RuleCatalogError.invalidJSON(source: source, reason: "\(error)")
        }
        for r in rules {
            if let p = r.problem { throw RuleCatalogError.invalidRule(source: source, reason: p) }
        }
        return rules
    }

    /// Loads user rules from a JSON file (see `decode`).
    public static func load(contentsOfFile path: String) throws -> [Rule] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RuleCatalogError.unreadable(path: path)
        }
        return try decode(data, source: path)
    }
}

/// Why user rules could not be loaded.
public enum RuleCatalogError: Error, CustomStringConvertible {
    case unreadable(path: String)
    case invalidJSON(source: String, reason: String)
    case invalidRule(source: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path):
            return "cannot read rule file \(path) (check the path and permissions)"
        case .invalidJSON(let source, let reason):
            return "\(source): not a JSON array of rules: \(reason)"
        case .invalidRule(let source, let reason):
            return "\(source): \(reason)"
        }
    }
}
