import Foundation
import Testing
@testable import OriginLens

@Suite struct CIDRSetTests {
    let cf = CIDRSet.cloudflare

    @Test func defaultListIsTheDatedOne() {
        #expect(CIDRSet.cloudflareV4.count == 15)
        #expect(CIDRSet.cloudflareV6.count == 7)
        #expect(cf.count == 22)
        #expect(CIDRSet.cloudflareListDate == "2026-02-11")
        #expect(cf.ranges.map(\.description).contains("2a06:98c0::/29"))
    }

    @Test func ipv4Boundaries() {
        #expect(cf.contains("162.158.0.0") == true)
        #expect(cf.contains("162.159.255.255") == true)
        #expect(cf.contains("162.160.0.0") == false)
        #expect(cf.contains("162.157.255.255") == false)
        #expect(cf.contains("172.70.242.14") == true)       // 172.64.0.0/13
        #expect(cf.contains("172.72.0.0") == false)
        #expect(cf.contains("104.16.0.1") == true)          // 104.16.0.0/13
        #expect(cf.contains("104.27.255.255") == true)      // 104.24.0.0/14
        #expect(cf.contains("104.28.0.0") == false)
        #expect(cf.contains("131.0.75.255") == true)
        #expect(cf.contains("131.0.76.0") == false)
        #expect(cf.contains("198.41.255.255") == true)
        #expect(cf.contains("203.0.113.7") == false)
        #expect(cf.contains("0.0.0.0") == false)
    }

    @Test func ipv6Forms() {
        #expect(cf.contains("2606:4700::1") == true)
        #expect(cf.contains("2606:4700:10::6814:1") == true)
        #expect(cf.contains("2606:4700:0010:0000:0000:0000:6814:0001") == true)   // zero-padded
        #expect(cf.contains("2606:4701::1") == false)
        #expect(cf.contains("2A06:98C7:FFFF::1") == true)    // /29 upper end, upper-case hex
        #expect(cf.contains("2a06:98c8::") == false)
        #expect(cf.contains("[2400:cb00::1]") == true)       // brackets
        #expect(cf.contains("[2400:cb00::1]:443") == true)
        #expect(cf.contains("fe80::1%eth0") == false)        // zone id
        #expect(cf.contains("2c0f:f248::%1") == true)
        #expect(cf.contains("2001:db8::1") == false)
    }

    @Test func ipv4MappedIPv6MatchesIPv4Ranges() {
        #expect(cf.contains("::ffff:162.158.1.2") == true)
        #expect(cf.contains("::FFFF:162.158.1.2") == true)
        #expect(cf.contains("::ffff:a29e:102") == true)      // same address in hex
        #expect(cf.contains("0:0:0:0:0:ffff:162.158.1.2") == true)
        #expect(cf.contains("::ffff:162.160.0.0") == false)
        #expect(IPAddress("::ffff:162.158.1.2") == .v4(0xA29E_0102))
        // An IPv4-mapped range in a list is stored as IPv4.
        #expect(CIDR("::ffff:10.0.0.0/104")?.description == "10.0.0.0/8")
    }

    @Test func parsingRejectsGarbage() {
        for bad in ["", " ", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4x", "1..2.3", "1:2", "1:::2", "1::2::3",
                    "12345::1", ":1::2", "1::2:", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::", "::ffff:1.2.3",
                    "g::1", "-", "[::1", "1.2.3.4/33", "::/129", "1.2.3.4/", "1.2.3.4/-1", "1.2.3.4/a"] {
            #expect(CIDR(bad) == nil, "\(bad)")
        }
        for bad in ["", "1.2.3", "::ffff:1.2.3.4.5", "1::2::3", "x", "1.2.3.04.5"] {
            #expect(IPAddress(bad) == nil, "\(bad)")
        }
        #expect(cf.contains("not-an-ip") == nil)
    }

    @Test func canonicalText() {
        #expect(IPAddress("2606:4700:0000:0000:0000:0000:0000:0001")?.description == "2606:4700::1")
        #expect(IPAddress("::")?.description == "::")
        #expect(IPAddress("1::")?.description == "1::")
        #expect(IPAddress("1:0:0:2:0:0:0:3")?.description == "1:0:0:2::3")
        #expect(IPAddress("10.1.2.3")?.description == "10.1.2.3")
        #expect(IPAddress("::1.2.3.4")?.description == "::102:304")
        #expect(CIDR("162.158.1.0/15")?.description == "162.158.0.0/15")   // host bits cleared
        #expect(CIDR("2400:cb00:1::/32")?.description == "2400:cb00::/32")
        #expect(CIDR("198.51.100.7")?.description == "198.51.100.7/32")
        #expect(CIDR("0.0.0.0/0")?.contains(.v4(0xFFFF_FFFF)) == true)
        #expect(CIDR("::/0")?.contains(.v6(1, 1)) == true)
        #expect(CIDR("::/0")?.contains(.v4(1)) == false)
    }

    @Test func loadsAUserList() throws {
        let text = """
        # Cloudflare, fetched 2026-03-01
        173.245.48.0/20   # first range
        2606:4700::/32

          198.51.100.7
        173.245.48.0/20
        """
        let set = try CIDRSet(listText: text, source: "cf.txt")
        #expect(set.count == 3)
        #expect(set.contains("173.245.63.255") == true)
        #expect(set.contains("198.51.100.7") == true)
        #expect(set.contains("198.51.100.8") == false)

        let path = NSTemporaryDirectory() + "originlens-cidr-\(getpid()).txt"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try CIDRSet(contentsOfFile: path).ranges == set.ranges)

        #expect(throws: CIDRError.invalid(source: "cf.txt", line: 2, text: "173.245.48.0/40")) {
            try CIDRSet(listText: "# x\n173.245.48.0/40\n", source: "cf.txt")
        }
        #expect(throws: CIDRError.self) { try CIDRSet(contentsOfFile: "/nonexistent/originlens/cidr.txt") }
        let err = CIDRError.invalid(source: "cf.txt", line: 2, text: "x")
        #expect(err.description.contains("cf.txt:2"))
        #expect(set.union(.cloudflare).count == 23)
    }
}

@Suite struct ServiceNameTests {
    let names = ServiceNames(extra: ["mysql"])

    @Test func webServices() {
        for n in ["nginx", "nginx.service", "nginx-debug", "/system.slice/nginx.service"] { #expect(names.normalize(n) == "nginx", "\(n)") }
        for n in ["apache2", "httpd", "apachectl", "apache2.service", "httpd.service", "apache2@site.service", "apache2ctl"] {
            #expect(names.normalize(n) == "apache", "\(n)")
        }
        for n in ["php8.2-fpm", "php-fpm8.2", "php7.4-fpm.service", "php-fpm.service", "php-fpm", "php74-php-fpm.service",
                  "/system.slice/php8.2-fpm.service"] {
            #expect(names.normalize(n) == "php-fpm", "\(n)")
        }
    }

    @Test func otherUnitsKeepTheirName() {
        #expect(names.normalize("mysql.service") == "mysql")
        #expect(names.normalize("MySQL") == "mysql")
        #expect(names.normalize("mariadb.service") == "mariadb")
        #expect(names.normalize("redis-server.service") == "redis-server")
        #expect(names.normalize("cache-main") == "cache-main")
        #expect(names.normalize("session-3.scope") == "session-3")
        #expect(names.normalize("") == nil)
        #expect(ServiceNames.isServiceUnit("nginx.service") && !ServiceNames.isServiceUnit("session-3.scope"))
    }

    @Test func descriptions() {
        #expect(names.fromDescription("A high performance web server and a reverse proxy server.") == "nginx")
        #expect(names.fromDescription("The nginx HTTP and reverse proxy server") == "nginx")
        #expect(names.fromDescription("nginx - high performance web server") == "nginx")
        #expect(names.fromDescription("The Apache HTTP Server") == "apache")
        #expect(names.fromDescription("The PHP 8.2 FastCGI Process Manager") == "php-fpm")
        #expect(names.fromDescription("The PHP FastCGI Process Manager") == "php-fpm")
        #expect(names.fromDescription("LSB: Apache2 web server") == "apache")
        #expect(names.fromDescription("MySQL Community Server") == "mysql")
        #expect(names.fromDescription("Apache Kafka") == nil)
        #expect(names.fromDescription("Session 3 of User root") == nil)
        // The analyzer passes the web services as extra names; they must not match loosely.
        let web = ServiceNames(extra: ["nginx", "apache", "php-fpm"])
        #expect(web.fromDescription("Apache Kafka") == nil)
        #expect(web.fromDescription("The Apache HTTP Server") == "apache")
        #expect(web.normalize("apache2.service") == "apache")
    }
}
