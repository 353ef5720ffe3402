package model

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
)

// vcase is one validator call: want "" for field means the value is valid;
// otherwise the error must be a *FieldError on that field whose message
// contains allowed (the allowed range or set).
type vcase struct {
	name    string
	err     error
	field   string
	allowed string
}

func checkCases(t *testing.T, cases []vcase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Helper()
			assertFieldErr(t, c.err, c.field, c.allowed)
		})
	}
}

func assertFieldErr(t *testing.T, err error, field, allowed string) {
	t.Helper()
	if field == "" {
		if err != nil {
			t.Fatalf("want no error, got %v", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("want an error on %s, got nil", field)
	}
	var fe *FieldError
	if !errors.As(err, &fe) {
		t.Fatalf("want *FieldError, got %T: %v", err, err)
	}
	if fe.Field != field {
		t.Fatalf("field = %q, want %q (error: %v)", fe.Field, field, err)
	}
	if !strings.Contains(err.Error(), allowed) {
		t.Fatalf("message %q does not mention %q", err.Error(), allowed)
	}
	if fe.Allowed == "" {
		t.Fatalf("error %v has no allowed range", err)
	}
}

// assertFields checks that a request-level error lists exactly these fields.
func assertFields(t *testing.T, err error, fields ...string) {
	t.Helper()
	if len(fields) == 0 {
		if err != nil {
			t.Fatalf("want no error, got %v", err)
		}
		return
	}
	var fes FieldErrors
	if !errors.As(err, &fes) {
		t.Fatalf("want FieldErrors, got %T: %v", err, err)
	}
	var got []string
	for _, e := range fes {
		got = append(got, e.Field)
	}
	if strings.Join(got, " ") != strings.Join(fields, " ") {
		t.Fatalf("fields = %v, want %v\nerror: %v", got, fields, err)
	}
}

func ptr[T any](v T) *T { return &v }

func TestValidateNames(t *testing.T) {
	const g1 = "1–64 letters, digits, - and _"
	const g2 = "1–128 letters, digits, - and _"
	checkCases(t, []vcase{
		{"gen1 1 char", ValidateGen1Name("a"), "", ""},
		{"gen1 64", ValidateGen1Name(strings.Repeat("a", 64)), "", ""},
		{"gen1 65", ValidateGen1Name(strings.Repeat("a", 65)), "name", g1},
		{"gen1 empty", ValidateGen1Name(""), "name", g1},
		{"gen1 charset", ValidateGen1Name("Ab-_09"), "", ""},
		{"gen1 dot", ValidateGen1Name("a.b"), "name", g1},
		{"gen1 space", ValidateGen1Name("a b"), "name", g1},
		{"gen1 non-ascii", ValidateGen1Name("é"), "name", g1},
		{"gen2 128", ValidateGen2Name(strings.Repeat("a", 128)), "", ""},
		{"gen2 129", ValidateGen2Name(strings.Repeat("a", 129)), "name", g2},
		{"gen2 65", ValidateGen2Name(strings.Repeat("a", 65)), "", ""},
		{"gen2 empty", ValidateGen2Name(""), "name", g2},
		{"gen2 slash", ValidateGen2Name("a/b"), "name", g2},
	})
	// Length is counted in runes, not bytes, and reported as such.
	err := ValidateGen1Name(strings.Repeat("é", 70))
	if err == nil || !strings.Contains(err.Error(), "70 characters is too long") {
		t.Fatalf("got %v, want a 70-character message", err)
	}
	if got := ValidateGen1Name(strings.Repeat("a", 70)).Error(); got != "name: 70 characters is too long (allowed: 1–64 letters, digits, - and _)" {
		t.Fatalf("message = %q", got)
	}
	if err := ValidateGen1Name(""); !strings.Contains(err.Error(), "required") {
		t.Fatalf("empty name: %v, want 'required'", err)
	}
}

func TestValidateDescription(t *testing.T) {
	const a = "up to 512 characters"
	cases := []vcase{
		{"empty", ValidateDescription(""), "", ""},
		{"512 ascii", ValidateDescription(strings.Repeat("x", 512)), "", ""},
		{"513 ascii", ValidateDescription(strings.Repeat("x", 513)), "description", a},
		{"512 runes, 1024 bytes", ValidateDescription(strings.Repeat("é", 512)), "", ""},
		{"513 runes", ValidateDescription(strings.Repeat("é", 513)), "description", a},
		{"punctuation ok", ValidateDescription("a-b_c.d, e! (f) #1 ?"), "", ""},
	}
	for _, c := range []string{"&", "<", ">", `"`, "'", "/"} {
		err := ValidateDescription("ab" + c + "cd")
		cases = append(cases, vcase{"forbidden " + c, err, "description", a})
		if err != nil && !strings.Contains(err.Error(), "character "+c) {
			t.Errorf("message %q does not name %s", err, c)
		}
	}
	checkCases(t, cases)
}

func TestValidateGen1AutoStop(t *testing.T) {
	const f, a = "spec.auto_stop.duration", "3,600–86,400 seconds"
	checkCases(t, []vcase{
		{"3599", ValidateGen1AutoStop(true, ptr(3599)), f, a},
		{"3600", ValidateGen1AutoStop(true, ptr(3600)), "", ""},
		{"86400", ValidateGen1AutoStop(true, ptr(86400)), "", ""},
		{"86401", ValidateGen1AutoStop(true, ptr(86401)), f, a},
		{"negative", ValidateGen1AutoStop(true, ptr(-1)), f, a},
		{"enabled without duration", ValidateGen1AutoStop(true, nil), f, a},
		{"disabled without duration", ValidateGen1AutoStop(false, nil), "", ""},
		{"disabled, duration out of range", ValidateGen1AutoStop(false, ptr(100)), f, a},
		{"disabled, duration in range", ValidateGen1AutoStop(false, ptr(7200)), "", ""},
	})
}

func TestValidateLeaseMillis(t *testing.T) {
	const f, a = "lease.duration", "3,600,000–259,200,000 ms (1–72 hours)"
	checkCases(t, []vcase{
		{"3599999", ValidateLeaseMillis(3_599_999), f, a},
		{"3600000", ValidateLeaseMillis(3_600_000), "", ""},
		{"259200000", ValidateLeaseMillis(259_200_000), "", ""},
		{"259200001", ValidateLeaseMillis(259_200_001), f, a},
		{"zero", ValidateLeaseMillis(0), f, a},
		{"-1", ValidateLeaseMillis(-1), f, a},
		{"min int64", ValidateLeaseMillis(math.MinInt64), f, a},
		{"max int64", ValidateLeaseMillis(math.MaxInt64), f, a},
	})
	if err := ValidateLeaseMillis(1_800_000); !strings.Contains(err.Error(), "0.5 h") {
		t.Fatalf("message %q does not give the hours", err)
	}
	if err := ValidateLeaseMillis(90 * 3_600_000); !strings.Contains(err.Error(), "90 h") {
		t.Fatalf("message %q does not give the hours", err)
	}
}

func TestValidateOBSPath(t *testing.T) {
	const f, a = "spec.storage.location.path", "a directory inside a bucket"
	checkCases(t, []vcase{
		{"documented form", ValidateOBSPath("/bucket/dir/"), "", ""},
		{"seed 001 sample", ValidateOBSPath("/aaaaaaaaa/output/"), "", ""},
		{"url form", ValidateOBSPath("obs://bucket/dir/"), "", ""},
		{"nested", ValidateOBSPath("/bucket/a/b/c/"), "", ""},
		{"no trailing slash", ValidateOBSPath("/bucket/dir"), f, a},
		{"url no trailing slash", ValidateOBSPath("obs://bucket/dir"), f, a},
		{"bucket root", ValidateOBSPath("/bucket/"), f, a},
		{"url bucket root", ValidateOBSPath("obs://bucket/"), f, a},
		{"slash", ValidateOBSPath("/"), f, a},
		{"url empty", ValidateOBSPath("obs://"), f, a},
		{"empty", ValidateOBSPath(""), f, a},
		{"double slash", ValidateOBSPath("/bucket//dir/"), f, a},
		{"leading double slash", ValidateOBSPath("//bucket/dir/"), f, a},
		{"url double slash", ValidateOBSPath("obs:///bucket/dir/"), f, a},
		{"space", ValidateOBSPath("/bucket/my dir/"), f, a},
		{"tab", ValidateOBSPath("/bucket/dir\t/"), f, a},
		{"trailing newline", ValidateOBSPath("/bucket/dir/\n"), f, a},
		{"relative", ValidateOBSPath("bucket/dir/"), f, a},
		{"other scheme", ValidateOBSPath("s3://bucket/dir/"), f, a},
		{"dot dot", ValidateOBSPath("/bucket/../"), f, a},
		{"invalid utf8", ValidateOBSPath("/bucket/\xff/"), f, a},
	})
}

func TestValidateEVS(t *testing.T) {
	const a = "5–4,096 GB"
	checkCases(t, []vcase{
		{"4", ValidateEVSSize(4), "volume.capacity", a},
		{"5", ValidateEVSSize(5), "", ""},
		{"4096", ValidateEVSSize(4096), "", ""},
		{"4097", ValidateEVSSize(4097), "volume.capacity", a},
		{"negative", ValidateEVSSize(-5), "volume.capacity", a},
		{"grow by 1", ValidateEVSGrow(10, 11), "", ""},
		{"same size", ValidateEVSGrow(10, 10), "storage_new_size", "more than the current 10 GB"},
		{"shrink", ValidateEVSGrow(10, 9), "storage_new_size", "more than the current 10 GB"},
		{"grow to 4096", ValidateEVSGrow(10, 4096), "", ""},
		{"grow to 4097", ValidateEVSGrow(10, 4097), "storage_new_size", "at most 4,096 GB"},
		{"already max", ValidateEVSGrow(4096, 4097), "storage_new_size", "4,096 GB maximum"},
		{"unknown current, 4", ValidateEVSGrow(0, 4), "storage_new_size", "5–4,096 GB"},
		{"unknown current, 5", ValidateEVSGrow(0, 5), "", ""},
	})
}

func TestValidateAllowedIPs(t *testing.T) {
	const f, a = "endpoints.allowed_access_ips", "at most 5 single IPv4 or IPv6 addresses"
	five := []string{"1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "2001:db8::1"}
	checkCases(t, []vcase{
		{"nil", ValidateAllowedIPs(nil), "", ""},
		{"one", ValidateAllowedIPs([]string{"1.1.1.1"}), "", ""},
		{"five", ValidateAllowedIPs(five), "", ""},
		{"six", ValidateAllowedIPs(append(five, "5.5.5.5")), f, a},
		{"cidr", ValidateAllowedIPs([]string{"1.1.1.1", "10.0.0.0/8"}), f + "[1]", "no CIDR"},
		{"ipv6 cidr", ValidateAllowedIPs([]string{"2001:db8::/32"}), f + "[0]", "no CIDR"},
		{"garbage", ValidateAllowedIPs([]string{"1.1.1.1", "2.2.2.2", "host.example"}), f + "[2]", a},
		{"empty string", ValidateAllowedIPs([]string{""}), f + "[0]", a},
		{"leading space", ValidateAllowedIPs([]string{" 1.1.1.1"}), f + "[0]", a},
		{"octet 256", ValidateAllowedIPs([]string{"1.1.1.256"}), f + "[0]", a},
		{"duplicate", ValidateAllowedIPs([]string{"1.1.1.1", "1.1.1.1"}), f + "[1]", "no duplicates"},
		{"mapped duplicate", ValidateAllowedIPs([]string{"1.1.1.1", "::ffff:1.1.1.1"}), f + "[1]", "no duplicates"},
		{"ipv6 spelled twice", ValidateAllowedIPs([]string{"2001:db8::1", "2001:DB8:0::1"}), f + "[1]", "no duplicates"},
		{"zone", ValidateAllowedIPs([]string{"fe80::1%eth0"}), f + "[0]", a},
		{"unspecified", ValidateAllowedIPs([]string{"0.0.0.0"}), f + "[0]", a},
		{"loopback", ValidateAllowedIPs([]string{"::1"}), f + "[0]", a},
		{"mapped loopback", ValidateAllowedIPs([]string{"::ffff:127.0.0.1"}), f + "[0]", a},
		{"link-local", ValidateAllowedIPs([]string{"169.254.1.1"}), f + "[0]", a},
		{"multicast", ValidateAllowedIPs([]string{"224.0.0.1"}), f + "[0]", a},
		{"private allowed", ValidateAllowedIPs([]string{"10.1.2.3", "192.168.1.1", "fd00::1"}), "", ""},
	})
	if err := ValidateAllowedIPs([]string{"10.0.0.0/8"}); !strings.Contains(err.Error(), "CIDR range") {
		t.Fatalf("message %q does not say CIDR is rejected", err)
	}
}

func TestValidateKeyPairName(t *testing.T) {
	const f, a = "endpoints.key_pair_names", "1–64 letters, digits, - and _"
	checkCases(t, []vcase{
		{"64", ValidateKeyPairName(strings.Repeat("k", 64)), "", ""},
		{"65", ValidateKeyPairName(strings.Repeat("k", 65)), f, a},
		{"empty", ValidateKeyPairName(""), f, a},
		{"typical", ValidateKeyPairName("KeyPair-ma_01"), "", ""},
		{"dot", ValidateKeyPairName("key.pem"), f, a},
	})
}

func TestValidateCustomSpec(t *testing.T) {
	const cpuA, memA = "more than 0.3 cores", "greater than 512"
	ok := func() *CustomSpec { return &CustomSpec{CPU: 1, Memory: 1024} }
	with := func(f func(*CustomSpec)) *CustomSpec { c := ok(); f(c); return c }
	checkCases(t, []vcase{
		{"nil", ValidateCustomSpec(nil, "modelarts.vm.cpu.2u"), "", ""},
		{"ok", ValidateCustomSpec(ok(), ""), "", ""},
		{"cpu 0.3", ValidateCustomSpec(with(func(c *CustomSpec) { c.CPU = 0.3 }), ""), "custom_spec.cpu", cpuA},
		// Seed 002 (> 0.3) wins over the reference (>= 0.4).
		{"cpu 0.31", ValidateCustomSpec(with(func(c *CustomSpec) { c.CPU = 0.31 }), ""), "", ""},
		{"cpu 0", ValidateCustomSpec(with(func(c *CustomSpec) { c.CPU = 0 }), ""), "custom_spec.cpu", cpuA},
		{"cpu NaN", ValidateCustomSpec(with(func(c *CustomSpec) { c.CPU = math.NaN() }), ""), "custom_spec.cpu", cpuA},
		{"cpu +Inf", ValidateCustomSpec(with(func(c *CustomSpec) { c.CPU = math.Inf(1) }), ""), "custom_spec.cpu", cpuA},
		{"memory 512", ValidateCustomSpec(with(func(c *CustomSpec) { c.Memory = 512 }), ""), "custom_spec.memory", memA},
		{"memory 513", ValidateCustomSpec(with(func(c *CustomSpec) { c.Memory = 513 }), ""), "", ""},
		{"memory 513.5", ValidateCustomSpec(with(func(c *CustomSpec) { c.Memory = 513.5 }), ""), "custom_spec.memory", "whole number"},
		{"memory +Inf", ValidateCustomSpec(with(func(c *CustomSpec) { c.Memory = math.Inf(1) }), ""), "custom_spec.memory", memA},
		{"gpu -1", ValidateCustomSpec(with(func(c *CustomSpec) { c.GPU = ptr(-1.0) }), ""), "custom_spec.gpu", "0 or more"},
		{"gpu 0", ValidateCustomSpec(with(func(c *CustomSpec) { c.GPU = ptr(0.0) }), ""), "", ""},
		{"gpu 1 with type", ValidateCustomSpec(with(func(c *CustomSpec) { c.GPU = ptr(1.0); c.GPUType = "nvidia-t4" }), ""), "", ""},
		{"gpu_type without gpu", ValidateCustomSpec(with(func(c *CustomSpec) { c.GPUType = "nvidia-t4" }), ""), "custom_spec.gpu_type", "together with a gpu"},
		{"with flavor", ValidateCustomSpec(ok(), "modelarts.vm.cpu.2u"), "custom_spec", "not both"},
		{"arch lowercase", ValidateCustomSpec(with(func(c *CustomSpec) { c.Arch = "x86_64"; c.Category = "gpu" }), ""), "", ""},
		{"arch bad", ValidateCustomSpec(with(func(c *CustomSpec) { c.Arch = "arm" }), ""), "custom_spec.arch", "X86_64, AARCH64"},
		{"category bad", ValidateCustomSpec(with(func(c *CustomSpec) { c.Category = "NPU" }), ""), "custom_spec.category", "CPU, GPU"},
	})
}

func TestValidateHook(t *testing.T) {
	const pathA, b64A = "an absolute path", "standard base64"
	checkCases(t, []vcase{
		{"nil", ValidateHook(nil), "", ""},
		{"default type path", ValidateHook(&HookConfig{Script: "/home/ma-user/init.sh"}), "", ""},
		{"SCRIPT path", ValidateHook(&HookConfig{Type: HookScript, Script: "/a.sh", Mode: "BLOCK"}), "", ""},
		{"SCRIPT relative", ValidateHook(&HookConfig{Type: HookScript, Script: "a.sh"}), "script", pathA},
		{"default relative", ValidateHook(&HookConfig{Script: "./a.sh"}), "script", pathA},
		{"SCRIPT empty", ValidateHook(&HookConfig{Type: HookScript}), "script", pathA},
		{"SCRIPT NUL", ValidateHook(&HookConfig{Script: "/a\x00.sh"}), "script", pathA},
		{"SCRIPT 4096 bytes", ValidateHook(&HookConfig{Script: "/" + strings.Repeat("a", 4095)}), "", ""},
		{"SCRIPT 4097 bytes", ValidateHook(&HookConfig{Script: "/" + strings.Repeat("a", 4096)}), "script", "4,096 bytes"},
		{"COMMAND base64", ValidateHook(&HookConfig{Type: HookCommand, Script: "ZWNobyBoaQ==", Mode: "ASYNC"}), "", ""},
		{"COMMAND empty", ValidateHook(&HookConfig{Type: HookCommand}), "script", b64A},
		{"COMMAND not base64", ValidateHook(&HookConfig{Type: HookCommand, Script: "echo hi"}), "script", b64A},
		{"COMMAND missing padding", ValidateHook(&HookConfig{Type: HookCommand, Script: "ZWNobyBoaQ"}), "script", b64A},
		{"COMMAND url alphabet", ValidateHook(&HookConfig{Type: HookCommand, Script: "-_-_"}), "script", b64A},
		{"COMMAND line break", ValidateHook(&HookConfig{Type: HookCommand, Script: "ZWNo\nbyBoaQ=="}), "script", b64A},
		{"COMMAND a path", ValidateHook(&HookConfig{Type: HookCommand, Script: "/a.sh"}), "script", b64A},
		{"type lowercase", ValidateHook(&HookConfig{Type: "script", Script: "/a.sh"}), "type", "SCRIPT or COMMAND"},
		{"type unknown", ValidateHook(&HookConfig{Type: "SHELL", Script: "/a.sh"}), "type", "SCRIPT or COMMAND"},
		{"mode unknown", ValidateHook(&HookConfig{Script: "/a.sh", Mode: "SYNC"}), "mode", "BLOCK or ASYNC"},
	})
	if err := ValidateHook(&HookConfig{Type: "command", Script: "ZWNobyBoaQ=="}); !strings.Contains(err.Error(), "did you mean COMMAND") {
		t.Fatalf("message %q has no case hint", err)
	}
}

// subdomain returns a valid DNS subdomain of exactly n characters (n must
// not be a multiple of 64, or it would end with a dot).
func subdomain(n int) string {
	var b strings.Builder
	for n > 63 {
		b.WriteString(strings.Repeat("a", 63) + ".")
		n -= 64
	}
	b.WriteString(strings.Repeat("a", n))
	return b.String()
}

func TestValidateLabelKey(t *testing.T) {
	const f, a = "key", "name of 1–63 characters"
	p253, p254 := subdomain(253), subdomain(254)
	if len(p253) != 253 || len(p254) != 254 || !dnsSubdomainRe.MatchString(p253) || !dnsSubdomainRe.MatchString(p254) {
		t.Fatalf("bad test prefixes: %d %d", len(p253), len(p254))
	}
	checkCases(t, []vcase{
		{"hostname", ValidateLabelKey("kubernetes.io/hostname"), "", ""},
		{"no prefix", ValidateLabelKey("os"), "", ""},
		{"one char", ValidateLabelKey("a"), "", ""},
		{"name 63", ValidateLabelKey(strings.Repeat("n", 63)), "", ""},
		{"name 64", ValidateLabelKey(strings.Repeat("n", 64)), f, a},
		{"prefixed name 63", ValidateLabelKey("example.com/" + strings.Repeat("n", 63)), "", ""},
		{"prefixed name 64", ValidateLabelKey("example.com/" + strings.Repeat("n", 64)), f, a},
		{"prefix 253", ValidateLabelKey(p253 + "/name"), "", ""},
		{"prefix 254", ValidateLabelKey(p254 + "/name"), f, "≤253"},
		{"inner chars", ValidateLabelKey("node.kubernetes.io/instance-type_X.1"), "", ""},
		{"empty", ValidateLabelKey(""), f, a},
		{"empty prefix", ValidateLabelKey("/name"), f, a},
		{"empty name", ValidateLabelKey("example.com/"), f, a},
		{"two slashes", ValidateLabelKey("a/b/c"), f, a},
		{"uppercase prefix", ValidateLabelKey("Example.com/name"), f, a},
		{"prefix underscore", ValidateLabelKey("ex_ample.com/name"), f, a},
		{"prefix leading dot", ValidateLabelKey(".example.com/name"), f, a},
		{"prefix trailing hyphen", ValidateLabelKey("example-/name"), f, a},
		{"name leading dash", ValidateLabelKey("-name"), f, a},
		{"name trailing dot", ValidateLabelKey("name."), f, a},
		{"name space", ValidateLabelKey("na me"), f, a},
		{"non-ascii", ValidateLabelKey("nämé"), f, a},
	})
}

func TestValidateLabelValue(t *testing.T) {
	const f, a = "values", "0–63 characters"
	checkCases(t, []vcase{
		{"empty", ValidateLabelValue(""), "", ""},
		{"ip", ValidateLabelValue("192.168.1.1"), "", ""},
		{"63", ValidateLabelValue(strings.Repeat("v", 63)), "", ""},
		{"64", ValidateLabelValue(strings.Repeat("v", 64)), f, a},
		{"one", ValidateLabelValue("1"), "", ""},
		{"leading dash", ValidateLabelValue("-v"), f, a},
		{"trailing underscore", ValidateLabelValue("v_"), f, a},
		{"slash", ValidateLabelValue("a/b"), f, a},
	})
}

func TestValidateAffinityRuleOperators(t *testing.T) {
	const key = "kubernetes.io/hostname"
	r := func(op string, vals ...string) AffinityRule {
		return AffinityRule{Key: key, Operator: op, Values: vals}
	}
	const inA, exA, gtA = "1 or more values", "no values", "exactly one integer"
	checkCases(t, []vcase{
		{"In 0", ValidateAffinityRule(r(OpIn), false), "values", inA},
		{"In 1", ValidateAffinityRule(r(OpIn, "a"), false), "", ""},
		{"In 2", ValidateAffinityRule(r(OpIn, "a", "b"), false), "", ""},
		{"In empty value", ValidateAffinityRule(r(OpIn, ""), false), "", ""},
		{"In bad value", ValidateAffinityRule(r(OpIn, "a", "-b"), false), "values[1]", "0–63 characters"},
		{"NotIn 0", ValidateAffinityRule(r(OpNotIn), false), "values", inA},
		{"NotIn 1", ValidateAffinityRule(r(OpNotIn, "a"), false), "", ""},
		{"NotIn 2", ValidateAffinityRule(r(OpNotIn, "a", "b"), false), "", ""},
		{"Exists 0", ValidateAffinityRule(r(OpExists), false), "", ""},
		{"Exists empty list", ValidateAffinityRule(AffinityRule{Key: key, Operator: OpExists, Values: []string{}}, false), "", ""},
		{"Exists 1", ValidateAffinityRule(r(OpExists, "a"), false), "values", exA},
		{"Exists 2", ValidateAffinityRule(r(OpExists, "a", "b"), false), "values", exA},
		{"DoesNotExist 0", ValidateAffinityRule(r(OpDoesNotExist), false), "", ""},
		{"DoesNotExist 1", ValidateAffinityRule(r(OpDoesNotExist, "a"), false), "values", exA},
		{"DoesNotExist 2", ValidateAffinityRule(r(OpDoesNotExist, "a", "b"), false), "values", exA},
		{"Gt 0", ValidateAffinityRule(r(OpGt), false), "values", gtA},
		{"Gt 1", ValidateAffinityRule(r(OpGt, "5"), false), "", ""},
		{"Gt negative", ValidateAffinityRule(r(OpGt, "-5"), false), "", ""},
		{"Gt 2", ValidateAffinityRule(r(OpGt, "5", "6"), false), "values", gtA},
		{"Gt not integer", ValidateAffinityRule(r(OpGt, "abc"), false), "values[0]", gtA},
		{"Gt float", ValidateAffinityRule(r(OpGt, "1.5"), false), "values[0]", gtA},
		{"Gt overflow", ValidateAffinityRule(r(OpGt, "9223372036854775808"), false), "values[0]", gtA},
		{"Lt 0", ValidateAffinityRule(r(OpLt), false), "values", gtA},
		{"Lt 1", ValidateAffinityRule(r(OpLt, "9223372036854775807"), false), "", ""},
		{"Lt 2", ValidateAffinityRule(r(OpLt, "1", "2"), false), "values", gtA},
		{"Lt empty", ValidateAffinityRule(r(OpLt, ""), false), "values[0]", gtA},
		{"operator lowercase", ValidateAffinityRule(r("in", "a"), false), "operator", "In, NotIn, Exists, DoesNotExist, Gt, Lt"},
		{"operator unknown", ValidateAffinityRule(r("Equals", "a"), false), "operator", "In, NotIn"},
		{"operator empty", ValidateAffinityRule(r("", "a"), false), "operator", "In, NotIn"},
		{"bad key", ValidateAffinityRule(AffinityRule{Key: "", Operator: OpExists}, false), "key", "name of 1–63"},
	})
	if err := ValidateAffinityRule(r("notin", "a"), false); !strings.Contains(err.Error(), "did you mean NotIn") {
		t.Fatalf("message %q has no case hint", err)
	}
	if err := ValidateAffinityRule(r("DOESNOTEXIST"), false); !strings.Contains(err.Error(), "did you mean DoesNotExist") {
		t.Fatalf("message %q has no case hint", err)
	}
}

func TestValidateAffinityWeight(t *testing.T) {
	r := func(w *int) AffinityRule {
		return AffinityRule{Key: "os", Operator: OpIn, Values: []string{"linux"}, Weight: w}
	}
	const a = "0–100"
	checkCases(t, []vcase{
		{"preferred nil", ValidateAffinityRule(r(nil), true), "", ""},
		{"preferred -1", ValidateAffinityRule(r(ptr(-1)), true), "weight", a},
		// Seed 002 allows 0 (Kubernetes would not); the seed wins.
		{"preferred 0", ValidateAffinityRule(r(ptr(0)), true), "", ""},
		{"preferred 1", ValidateAffinityRule(r(ptr(1)), true), "", ""},
		{"preferred 100", ValidateAffinityRule(r(ptr(100)), true), "", ""},
		{"preferred 101", ValidateAffinityRule(r(ptr(101)), true), "weight", a},
		{"required nil", ValidateAffinityRule(r(nil), false), "", ""},
		{"required 0", ValidateAffinityRule(r(ptr(0)), false), "weight", "no weight on required rules"},
		{"required 50", ValidateAffinityRule(r(ptr(50)), false), "weight", "no weight on required rules"},
	})
}

func TestValidateAffinityPaths(t *testing.T) {
	ok := AffinityRule{Key: "os", Operator: OpExists}
	a := Affinity{
		Required:  []AffinityRule{ok},
		Preferred: []AffinityRule{ok, {Key: "os", Operator: OpExists, Weight: ptr(101)}},
	}
	assertFieldErr(t, ValidateAffinity(a), "affinity.preferred_during_scheduling_ignored_during_execution[1].weight", "0–100")
	a.Required = append(a.Required, AffinityRule{Key: "os", Operator: OpIn})
	assertFieldErr(t, ValidateAffinity(a), "affinity.required_during_scheduling_ignored_during_execution[1].values", "1 or more")
	assertFieldErr(t, ValidateAffinity(Affinity{}), "", "")
}

// Seed 002's four example bodies of PUT /notebooks/{id}.
var seed002Bodies = []string{
	`{ "affinity" : { "required_during_scheduling_ignored_during_execution" : [ { "key" : "kubernetes.io/hostname", "operator" : "In", "values" : [ "192.168.1.1" ] } ], "preferred_during_scheduling_ignored_during_execution" : [ { "key" : "kubernetes.io/hostname", "operator" : "In", "values" : [ "192.168.1.1" ] } ] } }`,
	`{ "affinity" : { "required_during_scheduling_ignored_during_execution" : null, "preferred_during_scheduling_ignored_during_execution" : null } }`,
	`{ "affinity" : { "required_during_scheduling_ignored_during_execution" : [ ], "preferred_during_scheduling_ignored_during_execution" : [ ] } }`,
	`{ "affinity" : null }`,
}

func TestSeedSamplesValidate(t *testing.T) {
	for i, body := range seed002Bodies {
		var r UpdateNotebookRequest
		if err := json.Unmarshal([]byte(body), &r); err != nil {
			t.Fatalf("seed 002 body %d: %v", i, err)
		}
		if err := r.Validate(); err != nil {
			t.Errorf("seed 002 body %d: %v", i, err)
		}
	}
	// Seed 001 sample request.
	var c CreateDevInstanceRequest
	seed001 := `{ "name": "notebook-d115", "description": "", "profile_id": "Ascend-Power-Engine 1.0(python3)", "flavor": "modelarts.kat1.xlarge", "spec": { "storage": { "location": { "path": "/aaaaaaaaa/output/" }, "type": "obs" }, "auto_stop": { "enable": true, "duration": 3600 } }, "workspace": { "id": "0" } }`
	if err := json.Unmarshal([]byte(seed001), &c); err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("seed 001 sample: %v", err)
	}
	// Seed 000 sample request.
	var m ModifyDevInstanceRequest
	if err := json.Unmarshal([]byte(`{"description":"This is for test."}`), &m); err != nil {
		t.Fatal(err)
	}
	if err := m.Validate(); err != nil {
		t.Errorf("seed 000 sample: %v", err)
	}
	// Reference §3.3 create sample.
	var g CreateNotebookRequest
	ref := `{"name":"notebooks_test","feature":"NOTEBOOK","workspace_id":"0","description":"api-test",
	 "flavor":"modelarts.vm.cpu.2u","image_id":"e1a07296-22a8-4f05-8bc8-e936c8e54090",
	 "volume":{"category":"EVS","ownership":"MANAGED","capacity":50},
	 "lease":{"duration":3600000,"type":"timing"}}`
	if err := json.Unmarshal([]byte(ref), &g); err != nil {
		t.Fatal(err)
	}
	if err := g.Validate(); err != nil {
		t.Errorf("reference create sample: %v", err)
	}
}

func validCreateNotebook() *CreateNotebookRequest {
	return &CreateNotebookRequest{
		Name:    "nb-1",
		Flavor:  "modelarts.vm.cpu.2u",
		ImageID: "e1a07296-22a8-4f05-8bc8-e936c8e54090",
		Volume:  VolumeReq{Category: "EVS", Ownership: "MANAGED", Capacity: 5},
	}
}

func TestCreateNotebookValidate(t *testing.T) {
	tests := []struct {
		name   string
		mod    func(r *CreateNotebookRequest)
		fields []string
	}{
		{"valid", func(r *CreateNotebookRequest) {}, nil},
		{"lowercase volume", func(r *CreateNotebookRequest) { r.Volume.Category, r.Volume.Ownership = "evs", "managed" }, nil},
		{"missing basics", func(r *CreateNotebookRequest) { r.Name, r.ImageID, r.Flavor = "", "", "" }, []string{"name", "image_id", "flavor"}},
		{"name 129", func(r *CreateNotebookRequest) { r.Name = strings.Repeat("n", 129) }, []string{"name"}},
		{"description", func(r *CreateNotebookRequest) { r.Description = "<b>" }, []string{"description"}},
		{"feature", func(r *CreateNotebookRequest) { r.Feature = "CODELAB" }, []string{"feature"}},
		{"feature default", func(r *CreateNotebookRequest) { r.Feature = "DEFAULT" }, nil},
		{"flavor and custom", func(r *CreateNotebookRequest) {
			r.PoolID = "p"
			r.CustomSpec = &CustomSpec{CPU: 1, Memory: 1024}
		}, []string{"custom_spec"}},
		{"custom only", func(r *CreateNotebookRequest) {
			r.Flavor, r.PoolID = "", "pool41664192"
			r.CustomSpec = &CustomSpec{CPU: 1, Memory: 1024}
		}, nil},
		{"custom without pool", func(r *CreateNotebookRequest) { r.Flavor = ""; r.CustomSpec = &CustomSpec{CPU: 1, Memory: 1024} }, []string{"pool_id"}},
		{"custom invalid", func(r *CreateNotebookRequest) {
			r.Flavor, r.PoolID = "", "p"
			r.CustomSpec = &CustomSpec{CPU: 0.3, Memory: 512}
		}, []string{"custom_spec.cpu", "custom_spec.memory"}},
		{"blank flavor", func(r *CreateNotebookRequest) { r.Flavor = "  " }, []string{"flavor"}},
		{"affinity without pool", func(r *CreateNotebookRequest) {
			r.Affinity = &Affinity{Required: []AffinityRule{{Key: "os", Operator: OpExists}}}
		}, []string{"pool_id"}},
		{"empty affinity without pool", func(r *CreateNotebookRequest) { r.Affinity = &Affinity{} }, nil},
		{"category", func(r *CreateNotebookRequest) { r.Volume.Category = "NFS" }, []string{"volume.category"}},
		{"category empty", func(r *CreateNotebookRequest) { r.Volume.Category = "" }, []string{"volume.category"}},
		{"ownership", func(r *CreateNotebookRequest) { r.Volume.Ownership = "SHARED" }, []string{"volume.ownership"}},
		{"capacity 4", func(r *CreateNotebookRequest) { r.Volume.Capacity = 4 }, []string{"volume.capacity"}},
		{"capacity 4096", func(r *CreateNotebookRequest) { r.Volume.Capacity = 4096 }, nil},
		{"capacity 4097", func(r *CreateNotebookRequest) { r.Volume.Capacity = 4097 }, []string{"volume.capacity"}},
		{"capacity unset", func(r *CreateNotebookRequest) { r.Volume.Capacity = 0 }, nil},
		{"dedicated EFS", func(r *CreateNotebookRequest) {
			r.Volume = VolumeReq{Category: "EFS", Ownership: "DEDICATED"}
		}, []string{"volume.id", "volume.uri"}},
		{"dedicated EFS complete", func(r *CreateNotebookRequest) {
			r.Volume = VolumeReq{Category: "efs", Ownership: "dedicated", ID: "fs-1", URI: "192.168.0.1:/share"}
		}, nil},
		{"managed EFS", func(r *CreateNotebookRequest) { r.Volume = VolumeReq{Category: "EFS", Ownership: "MANAGED"} }, nil},
		{"OBS without secret", func(r *CreateNotebookRequest) {
			r.Volume = VolumeReq{Category: "OBS", Ownership: "DEDICATED", URI: "obs://b/d/"}
		}, []string{"volume.dew_secret_name"}},
		{"lease ok", func(r *CreateNotebookRequest) { r.Lease = &LeaseReq{Duration: 259_200_000, Type: "IDLE"} }, nil},
		{"lease bad", func(r *CreateNotebookRequest) { r.Lease = &LeaseReq{Duration: 259_200_001, Type: "cron"} }, []string{"lease.duration", "lease.type"}},
		{"endpoints", func(r *CreateNotebookRequest) {
			r.Endpoints = []EndpointsReq{
				{Service: "SSH", KeyPairNames: []string{"kp-1"}, AllowedAccessIPs: []string{"1.1.1.1"}},
				{Service: "ssh", KeyPairNames: []string{"ok", "bad key"}, AllowedAccessIPs: []string{"1.1.1.1", "2.2.2.2", "1.1.1.1/32"}},
			}
		}, []string{"endpoints[1].service", "endpoints[1].key_pair_names[1]", "endpoints[1].allowed_access_ips[2]"}},
		{"hooks", func(r *CreateNotebookRequest) {
			r.Hooks = &CustomHooks{ContainerHooks: &ContainerHooks{
				PreStart:  &HookConfig{Script: "init.sh"},
				PostStart: &HookConfig{Type: HookCommand, Script: "ZWNobyBoaQ=="},
			}}
		}, []string{"hooks.container_hooks.pre_start.script"}},
		{"affinity", func(r *CreateNotebookRequest) {
			r.PoolID = "pool41664192"
			r.Affinity = &Affinity{Preferred: []AffinityRule{
				{Key: "os", Operator: OpExists, Weight: ptr(10)},
				{Key: "os", Operator: OpExists, Weight: ptr(101)},
			}}
		}, []string{"affinity.preferred_during_scheduling_ignored_during_execution[1].weight"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := validCreateNotebook()
			tt.mod(r)
			assertFields(t, r.Validate(), tt.fields...)
		})
	}
	var nilReq *CreateNotebookRequest
	if nilReq.Validate() == nil {
		t.Fatal("nil request validated")
	}
}

func TestUpdateNotebookValidate(t *testing.T) {
	tests := []struct {
		name   string
		r      UpdateNotebookRequest
		fields []string
	}{
		{"empty", UpdateNotebookRequest{}, nil},
		{"name", UpdateNotebookRequest{Name: ptr("")}, []string{"name"}},
		{"name ok", UpdateNotebookRequest{Name: ptr("x"), Description: ptr("ok")}, nil},
		{"description", UpdateNotebookRequest{Description: ptr("a/b")}, []string{"description"}},
		{"description cleared", UpdateNotebookRequest{Description: ptr("")}, nil},
		{"flavor empty", UpdateNotebookRequest{Flavor: ptr("")}, []string{"flavor"}},
		{"image empty", UpdateNotebookRequest{ImageID: ptr(" ")}, []string{"image_id"}},
		{"size 4", UpdateNotebookRequest{StorageNewSize: ptr(4)}, []string{"storage_new_size"}},
		{"size 5", UpdateNotebookRequest{StorageNewSize: ptr(5)}, nil},
		{"size 4096", UpdateNotebookRequest{StorageNewSize: ptr(4096)}, nil},
		{"size 4097", UpdateNotebookRequest{StorageNewSize: ptr(4097)}, []string{"storage_new_size"}},
		{"flavor and custom", UpdateNotebookRequest{Flavor: ptr("f"), CustomSpec: &CustomSpec{CPU: 1, Memory: 1024}}, []string{"custom_spec"}},
		{"custom only", UpdateNotebookRequest{CustomSpec: &CustomSpec{CPU: 1, Memory: 1024}}, nil},
		{"ips", UpdateNotebookRequest{Endpoints: []EndpointsReq{{AllowedAccessIPs: []string{"1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.4", "1.1.1.5", "1.1.1.6"}}}}, []string{"endpoints[0].allowed_access_ips"}},
		{"affinity clear", UpdateNotebookRequest{Affinity: ClearAffinity()}, nil},
		{"affinity bad preferred only", UpdateNotebookRequest{Affinity: &AffinityUpdate{Preferred: &[]AffinityRule{{Key: "os", Operator: "in", Values: []string{"a"}}}}}, []string{"affinity.preferred_during_scheduling_ignored_during_execution[0].operator"}},
		{"affinity required weight", UpdateNotebookRequest{Affinity: &AffinityUpdate{Required: &[]AffinityRule{{Key: "os", Operator: OpExists, Weight: ptr(1)}}}}, []string{"affinity.required_during_scheduling_ignored_during_execution[0].weight"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertFields(t, tt.r.Validate(), tt.fields...)
		})
	}
}

func validCreateDev() *CreateDevInstanceRequest {
	return &CreateDevInstanceRequest{
		Name:      "notebook-d115",
		ProfileID: "Multi-Engine 1.0 (python3)-cpu",
		Flavor:    "modelarts.vm.cpu.2u",
		Spec: DevCreateSpec{
			Storage:  DevStorage{Type: "obs", Location: &DevLocation{Path: "/bucket/dir/"}},
			AutoStop: &DevAutoStopReq{Enable: ptr(true), Duration: ptr(3600)},
		},
	}
}

func TestCreateDevInstanceValidate(t *testing.T) {
	tests := []struct {
		name   string
		mod    func(r *CreateDevInstanceRequest)
		fields []string
	}{
		{"valid", func(r *CreateDevInstanceRequest) {}, nil},
		{"missing all", func(r *CreateDevInstanceRequest) { *r = CreateDevInstanceRequest{} },
			[]string{"name", "profile_id", "flavor", "spec.storage.type"}},
		{"name 64", func(r *CreateDevInstanceRequest) { r.Name = strings.Repeat("n", 64) }, nil},
		{"name 65", func(r *CreateDevInstanceRequest) { r.Name = strings.Repeat("n", 65) }, []string{"name"}},
		{"description", func(r *CreateDevInstanceRequest) { r.Description = "a&b" }, []string{"description"}},
		{"obs no location", func(r *CreateDevInstanceRequest) { r.Spec.Storage.Location = nil }, []string{"spec.storage.location.path"}},
		{"obs bucket root", func(r *CreateDevInstanceRequest) { r.Spec.Storage.Location.Path = "/bucket/" }, []string{"spec.storage.location.path"}},
		{"type uppercase", func(r *CreateDevInstanceRequest) { r.Spec.Storage.Type = "OBS" }, []string{"spec.storage.type"}},
		{"evs default size", func(r *CreateDevInstanceRequest) { r.Spec.Storage = DevStorage{Type: "evs"} }, nil},
		{"evs 4", func(r *CreateDevInstanceRequest) {
			r.Spec.Storage = DevStorage{Type: "evs", Location: &DevLocation{VolumeSize: 4}}
		}, []string{"spec.storage.location.volume_size"}},
		{"evs 4096", func(r *CreateDevInstanceRequest) {
			r.Spec.Storage = DevStorage{Type: "evs", Location: &DevLocation{Path: "/home/ma-user/work", VolumeSize: 4096}}
		}, nil},
		{"obsfs", func(r *CreateDevInstanceRequest) {
			r.Spec.Storage = DevStorage{Type: "obsfs", Location: &DevLocation{Path: "bucket", AccessModes: "ReadOnlyMany"}}
		}, nil},
		{"obsfs bad mode", func(r *CreateDevInstanceRequest) {
			r.Spec.Storage = DevStorage{Type: "obsfs", Location: &DevLocation{Path: "bucket", AccessModes: "RW"}}
		}, []string{"spec.storage.location.access_modes"}},
		{"extend storage", func(r *CreateDevInstanceRequest) {
			r.Spec.ExtendStorage = []DevStorage{
				{Type: "obsfs", Location: &DevLocation{Path: "b"}},
				{Type: "obs", Location: &DevLocation{Path: "/b/d/"}},
			}
		}, []string{"spec.extend_storage[1].type"}},
		{"auto-stop missing duration", func(r *CreateDevInstanceRequest) { r.Spec.AutoStop.Duration = nil }, []string{"spec.auto_stop.duration"}},
		{"auto-stop 86401", func(r *CreateDevInstanceRequest) { r.Spec.AutoStop.Duration = ptr(86401) }, []string{"spec.auto_stop.duration"}},
		{"auto-stop disabled", func(r *CreateDevInstanceRequest) { r.Spec.AutoStop = &DevAutoStopReq{Enable: ptr(false)} }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := validCreateDev()
			tt.mod(r)
			assertFields(t, r.Validate(), tt.fields...)
		})
	}
}

func TestModifyDevInstanceValidate(t *testing.T) {
	assertFields(t, (&ModifyDevInstanceRequest{}).Validate())
	assertFields(t, (&ModifyDevInstanceRequest{Description: ptr(`say "hi"`)}).Validate(), "description")
	assertFields(t, (&ModifyDevInstanceRequest{Spec: &DevModifySpec{AutoStop: &DevAutoStopReq{Enable: ptr(true)}}}).Validate(), "spec.auto_stop.duration")
	assertFields(t, (&ModifyDevInstanceRequest{Spec: &DevModifySpec{AutoStop: &DevAutoStopReq{Enable: ptr(true), Duration: ptr(86400)}}}).Validate())
	assertFields(t, (&ModifyDevInstanceRequest{
		Description: ptr("x>y"),
		Spec:        &DevModifySpec{AutoStop: &DevAutoStopReq{Duration: ptr(3599)}},
	}).Validate(), "description", "spec.auto_stop.duration")
}

// The exported validators must return an untyped nil on success, never a
// nil *FieldError wrapped in a non-nil error.
func TestValidatorsReturnUntypedNil(t *testing.T) {
	errs := []error{
		ValidateGen1Name("a"), ValidateGen2Name("a"), ValidateDescription(""),
		ValidateGen1AutoStop(false, nil), ValidateLeaseMillis(leaseMinMillis), ValidateOBSPath("/b/d/"),
		ValidateEVSSize(5), ValidateEVSGrow(5, 6), ValidateAllowedIPs(nil), ValidateKeyPairName("k"),
		ValidateCustomSpec(nil, ""), ValidateHook(nil), ValidateLabelKey("k"), ValidateLabelValue(""),
		ValidateAffinityRule(AffinityRule{Key: "k", Operator: OpExists}, true), ValidateAffinity(Affinity{}),
		(&ModifyDevInstanceRequest{}).Validate(),
	}
	for i, err := range errs {
		if err != nil {
			t.Errorf("validator %d returned non-nil %#v", i, err)
		}
	}
}

func TestValueShortened(t *testing.T) {
	err := ValidateDescription(strings.Repeat("a", 600))
	var fe *FieldError
	if !errors.As(err, &fe) {
		t.Fatal(err)
	}
	if n := len([]rune(fe.Value)); n != valShownMax {
		t.Fatalf("value has %d runes, want %d", n, valShownMax)
	}
	if ValidateGen1Name("a\x1b[2J").(*FieldError).Value != `"a\x1b[2J"` {
		t.Fatal("control characters are not quoted")
	}
}

func TestThousands(t *testing.T) {
	for in, want := range map[int64]string{
		0: "0", 999: "999", 1000: "1,000", -1000: "-1,000", 86400: "86,400",
		259_200_000: "259,200,000", math.MinInt64: "-9,223,372,036,854,775,808",
	} {
		if got := valThousands(in); got != want {
			t.Errorf("valThousands(%d) = %q, want %q", in, got, want)
		}
	}
}
