//! The systemd units in `assets/systemd/`: `systemd-analyze verify` accepts them (with the
//! built binary standing in for `/usr/local/bin/shoptet-raynet-sync`), and they hold the keys a
//! hardened, restartable service needs.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

const UNITS: &[&str] = &["shoptet-raynet-sync.service", "shoptet-raynet-sync@.service"];

fn unit_text(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/systemd").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `section.key` → values (a key may repeat).
fn parse(text: &str) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut section = String::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.to_string();
            continue;
        }
        let (key, value) = line.split_once('=').unwrap_or_else(|| panic!("not key=value: {line}"));
        out.entry(format!("{section}.{}", key.trim())).or_default().push(value.trim().to_string());
    }
    out
}

#[test]
fn units_hold_the_keys_of_a_hardened_restartable_service() {
    for name in UNITS {
        let keys = parse(&unit_text(name));
        let one =
            |k: &str| keys.get(k).and_then(|v| v.last()).cloned().unwrap_or_else(|| panic!("{name}: no {k}"));
        assert!(one("Service.ExecStart").contains(" run "), "{name}: runs the daemon");
        assert!(one("Service.ExecStart").contains("--data-dir ${STATE_DIRECTORY}"), "{name}");
        // `systemctl reload` sends SIGHUP, which the daemon takes as "read the config again".
        assert!(one("Service.ExecReload").contains("-HUP $MAINPID"), "{name}: reload is SIGHUP");
        assert_eq!(one("Service.Restart"), "on-failure", "{name}");
        assert!(
            one("Service.RestartPreventExitStatus").split(' ').any(|c| c == "1"),
            "{name}: exit 1 is fatal"
        );
        assert!(one("Service.StateDirectory").starts_with("shoptet-raynet-sync"), "{name}");
        assert!(one("Service.ConfigurationDirectory").starts_with("shoptet-raynet-sync"), "{name}");
        assert_eq!(one("Service.DynamicUser"), "yes", "{name}");
        assert_eq!(one("Service.UMask"), "0077", "{name}: customer data stays private");
        for hardening in ["NoNewPrivileges", "ProtectHome", "PrivateTmp", "PrivateDevices"] {
            assert_eq!(one(&format!("Service.{hardening}")), "yes", "{name}: {hardening}");
        }
        assert_eq!(one("Service.ProtectSystem"), "strict", "{name}");
        assert!(one("Service.EnvironmentFile").starts_with('-'), "{name}: secrets file optional");
        assert!(one("Service.TimeoutStopSec").parse::<u32>().is_ok_and(|s| s >= 30), "{name}");
        assert_eq!(one("Install.WantedBy"), "multi-user.target", "{name}");
    }
    let template = parse(&unit_text("shoptet-raynet-sync@.service"));
    for key in ["Service.ExecStart", "Service.StateDirectory", "Service.EnvironmentFile"] {
        assert!(template[key].iter().all(|v| v.contains("%i")), "template: {key} is per instance");
    }
}

#[test]
fn systemd_analyze_verifies_the_units() {
    let Ok(out) = Command::new("systemd-analyze").arg("--version").output() else {
        use std::io::Write;
        let _ =
            writeln!(std::io::stderr(), "SKIPPED systemd-analyze verify: systemd-analyze is not installed");
        return;
    };
    assert!(out.status.success());
    let dir = tempfile::tempdir().expect("tempdir");
    let binary = env!("CARGO_BIN_EXE_shoptet-raynet-sync");
    let mut paths = Vec::new();
    for name in UNITS {
        let text = unit_text(name).replace("/usr/local/bin/shoptet-raynet-sync", binary);
        // A template is verified as one of its instances.
        let file = dir.path().join(name.replace("@.", "@kavarna."));
        std::fs::write(&file, text).expect("write unit");
        paths.push(file);
    }
    let out = Command::new("systemd-analyze")
        .args(["verify", "--man=no"])
        .args(&paths)
        .output()
        .expect("systemd-analyze runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && stderr.trim().is_empty(), "systemd-analyze verify: {stderr}");
}
