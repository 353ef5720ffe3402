package config

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// fullProfile sets every key in the file, so each precedence case only has
// to add the higher layers.
const fullProfile = `
current-profile: p
theme: file-theme
profiles:
  p:
    cloud: otc
    region: eu-nl
    project-id: ` + testPID + `
    project-name: eu-nl_file
    endpoint: https://file.example.test
    iam-endpoint: https://iam-file.example.test/v3
    theme: profile-theme
`

func TestPrecedencePerKey(t *testing.T) {
	cfg := writeConfig(t, fullProfile)
	type layer struct {
		flags Flags
		env   map[string]string
	}
	tests := []struct {
		key     string
		get     func(Settings) string
		fileVal string
		envName string
		envVal  string
		flag    func(*Flags, string)
		flagVal string
	}{
		{"cloud", func(s Settings) string { return s.Cloud }, "otc", "MATUI_CLOUD", "huaweicloud",
			func(f *Flags, v string) { f.Cloud = v }, "otc"},
		{"region", func(s Settings) string { return s.Region }, "eu-nl", "OS_REGION_NAME", "eu-de",
			func(f *Flags, v string) { f.Region = v }, "cn-north-4"},
		{"project-id", func(s Settings) string { return s.ProjectID }, testPID, "OS_PROJECT_ID", testPID2,
			func(f *Flags, v string) { f.ProjectID = v }, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
		{"project-name", func(s Settings) string { return s.ProjectName }, "eu-nl_file", "OS_PROJECT_NAME", "eu-de_env",
			func(f *Flags, v string) { f.ProjectName = v }, "eu-de_flag"},
		{"endpoint", func(s Settings) string { return s.Endpoint }, "https://file.example.test", "MATUI_ENDPOINT", "https://env.example.test",
			func(f *Flags, v string) { f.Endpoint = v }, "https://flag.example.test"},
		{"iam-endpoint", func(s Settings) string { return s.IAMEndpoint }, "https://iam-file.example.test/v3", "OS_AUTH_URL", "https://iam-env.example.test/v3",
			func(f *Flags, v string) { f.IAMEndpoint = v }, "https://iam-flag.example.test/v3"},
		{"theme", func(s Settings) string { return s.UI.Theme }, "profile-theme", "MATUI_THEME", "env-theme",
			func(f *Flags, v string) { f.Theme = v }, "flag-theme"},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			base := Flags{ConfigPath: cfg}
			withEnv := map[string]string{tt.envName: tt.envVal}
			withFlag := base
			tt.flag(&withFlag, tt.flagVal)
			cases := []struct {
				name      string
				l         layer
				want, src string
			}{
				{"file", layer{base, nil}, tt.fileVal, "profile p in " + cfg},
				{"env beats file", layer{base, withEnv}, tt.envVal, "env " + tt.envName},
				{"flag beats env", layer{withFlag, withEnv}, tt.flagVal, "flag --" + tt.key},
			}
			for _, c := range cases {
				s := mustResolve(t, c.l.flags, c.l.env)
				if got := tt.get(s); got != c.want {
					t.Errorf("%s: %s = %q, want %q", c.name, tt.key, got, c.want)
				}
				if got := s.Source[tt.key]; got != c.src {
					t.Errorf("%s: Source[%s] = %q, want %q", c.name, tt.key, got, c.src)
				}
			}
		})
	}
}

func TestEnvNamePrecedence(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		get  func(Settings) string
		want string
	}{
		{"MATUI_REGION beats OS_REGION_NAME", map[string]string{"MATUI_REGION": "eu-de", "OS_REGION_NAME": "eu-nl", "HW_REGION_NAME": "cn-north-4"},
			func(s Settings) string { return s.Region }, "eu-de"},
		{"OS_REGION_NAME beats HW_REGION_NAME", map[string]string{"OS_REGION_NAME": "eu-nl", "HW_REGION_NAME": "cn-north-4"},
			func(s Settings) string { return s.Region }, "eu-nl"},
		{"HW_REGION_NAME alone", map[string]string{"HW_REGION_NAME": "cn-north-4"},
			func(s Settings) string { return s.Region }, "cn-north-4"},
		{"HUAWEICLOUD_SDK_PROJECT_ID first", map[string]string{"HUAWEICLOUD_SDK_PROJECT_ID": testPID, "OS_PROJECT_ID": testPID2, "HW_PROJECT_ID": testPID2},
			func(s Settings) string { return s.ProjectID }, testPID},
		{"OS_PROJECT_ID beats OS_TENANT_ID", map[string]string{"OS_PROJECT_ID": testPID, "OS_TENANT_ID": testPID2},
			func(s Settings) string { return s.ProjectID }, testPID},
		{"OS_TENANT_ID beats HW_PROJECT_ID", map[string]string{"OS_TENANT_ID": testPID, "HW_PROJECT_ID": testPID2},
			func(s Settings) string { return s.ProjectID }, testPID},
		{"OS_PROJECT_NAME beats OS_TENANT_NAME", map[string]string{"OS_PROJECT_NAME": "eu-de_a", "OS_TENANT_NAME": "eu-de_b"},
			func(s Settings) string { return s.ProjectName }, "eu-de_a"},
		{"OS_TENANT_NAME alone", map[string]string{"OS_TENANT_NAME": "eu-de_b"},
			func(s Settings) string { return s.ProjectName }, "eu-de_b"},
		{"HUAWEICLOUD_SDK_IAM_ENDPOINT beats OS_AUTH_URL", map[string]string{"HUAWEICLOUD_SDK_IAM_ENDPOINT": "https://iam.myhuaweicloud.com", "OS_AUTH_URL": "https://iam.eu-de.otc.t-systems.com/v3"},
			func(s Settings) string { return s.IAMEndpoint }, "https://iam.myhuaweicloud.com/v3"},
		{"MATUI_ENDPOINT beats the SDK region variable", map[string]string{"MATUI_REGION": "eu-de", "MATUI_ENDPOINT": "a.example.test", "HUAWEICLOUD_SDK_REGION_MODELARTS_EU_DE": "https://b.example.test"},
			func(s Settings) string { return s.Endpoint }, "https://a.example.test"},
		{"SDK region variable, first of its list", map[string]string{"MATUI_REGION": "eu-de", "HUAWEICLOUD_SDK_REGION_MODELARTS_EU_DE": "https://b.example.test,https://c.example.test"},
			func(s Settings) string { return s.Endpoint }, "https://b.example.test"},
		{"blank value is unset", map[string]string{"MATUI_REGION": "  ", "OS_REGION_NAME": "eu-nl"},
			func(s Settings) string { return s.Region }, "eu-nl"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.get(mustResolve(t, Flags{}, tt.env)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestEnvCredentialFamilies(t *testing.T) {
	pid := map[string]string{"HUAWEICLOUD_SDK_PROJECT_ID": testPID, "MATUI_REGION": "eu-de"}
	with := func(kv map[string]string) map[string]string {
		m := map[string]string{}
		for k, v := range pid {
			m[k] = v
		}
		for k, v := range kv {
			m[k] = v
		}
		return m
	}
	tests := []struct {
		name   string
		env    map[string]string
		want   Credentials
		method string
		src    string
	}{
		{"HUAWEICLOUD_SDK", with(map[string]string{"HUAWEICLOUD_SDK_AK": "a1", "HUAWEICLOUD_SDK_SK": "s1", "HUAWEICLOUD_SDK_SECURITY_TOKEN": "t1"}),
			Credentials{AK: "a1", SK: "s1", SecurityToken: "t1"}, MethodAKSK, "env HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK, HUAWEICLOUD_SDK_SECURITY_TOKEN"},
		{"OS", with(map[string]string{"OS_ACCESS_KEY": "a2", "OS_SECRET_KEY": "s2"}),
			Credentials{AK: "a2", SK: "s2"}, MethodAKSK, "env OS_ACCESS_KEY, OS_SECRET_KEY"},
		{"HW", with(map[string]string{"HW_ACCESS_KEY": "a3", "HW_SECRET_KEY": "s3", "HW_SECURITY_TOKEN": "t3"}),
			Credentials{AK: "a3", SK: "s3", SecurityToken: "t3"}, MethodAKSK, "env HW_ACCESS_KEY, HW_SECRET_KEY, HW_SECURITY_TOKEN"},
		{"HUAWEICLOUD_SDK beats OS and HW", with(map[string]string{"HUAWEICLOUD_SDK_AK": "a1", "HUAWEICLOUD_SDK_SK": "s1", "OS_ACCESS_KEY": "a2", "OS_SECRET_KEY": "s2", "HW_ACCESS_KEY": "a3", "HW_SECRET_KEY": "s3"}),
			Credentials{AK: "a1", SK: "s1"}, MethodAKSK, "env HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK"},
		{"OS beats HW; token stays with its family", with(map[string]string{"OS_ACCESS_KEY": "a2", "OS_SECRET_KEY": "s2", "HW_ACCESS_KEY": "a3", "HW_SECRET_KEY": "s3", "HW_SECURITY_TOKEN": "t3"}),
			Credentials{AK: "a2", SK: "s2"}, MethodAKSK, "env OS_ACCESS_KEY, OS_SECRET_KEY"},
		{"AK/SK beats token", with(map[string]string{"OS_ACCESS_KEY": "a2", "OS_SECRET_KEY": "s2", "OS_AUTH_TOKEN": "tok"}),
			Credentials{AK: "a2", SK: "s2"}, MethodAKSK, "env OS_ACCESS_KEY, OS_SECRET_KEY"},
		{"token", with(map[string]string{"OS_AUTH_TOKEN": "tok", "OS_USERNAME": "u", "OS_PASSWORD": "p"}),
			Credentials{Token: "tok"}, MethodToken, "env OS_AUTH_TOKEN"},
		{"password", map[string]string{"OS_USERNAME": "u", "OS_PASSWORD": "p", "OS_USER_DOMAIN_NAME": "dom", "OS_DOMAIN_NAME": "other", "OS_REGION_NAME": "eu-de"},
			Credentials{Username: "u", Password: "p", DomainName: "dom"}, MethodPassword, "env OS_USERNAME, OS_PASSWORD"},
		{"password with OS_DOMAIN_NAME", map[string]string{"OS_USERNAME": "u", "OS_PASSWORD": "p", "OS_DOMAIN_NAME": "other", "OS_REGION_NAME": "eu-de"},
			Credentials{Username: "u", Password: "p", DomainName: "other"}, MethodPassword, "env OS_USERNAME, OS_PASSWORD"},
		{"OS_USERNAME alone is not a credential", map[string]string{"OS_USERNAME": "u"},
			Credentials{}, MethodNone, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustResolve(t, Flags{}, tt.env)
			if s.Credentials != tt.want {
				t.Errorf("credentials = %#v, want %#v", s.Credentials, tt.want)
				// %#v is redacted; compare the non-secret shape by hand too.
				t.Errorf("AK %v SK %v token %v", s.Credentials.AK == tt.want.AK, s.Credentials.SK == tt.want.SK, s.Credentials.SecurityToken == tt.want.SecurityToken)
			}
			if s.Method() != tt.method || s.HasCredentials() != (tt.method != MethodNone) {
				t.Errorf("Method() = %q, HasCredentials() = %v; want %q", s.Method(), s.HasCredentials(), tt.method)
			}
			if s.Source["credentials"] != tt.src {
				t.Errorf("Source[credentials] = %q, want %q", s.Source["credentials"], tt.src)
			}
		})
	}
}

func TestEnvCredentialErrors(t *testing.T) {
	tests := []struct {
		name  string
		env   map[string]string
		wants []string
	}{
		{"OS AK without SK", map[string]string{"OS_ACCESS_KEY": "a"}, []string{"OS_ACCESS_KEY is set but OS_SECRET_KEY is not"}},
		{"HUAWEICLOUD_SDK SK without AK", map[string]string{"HUAWEICLOUD_SDK_SK": "s"}, []string{"HUAWEICLOUD_SDK_SK is set but HUAWEICLOUD_SDK_AK is not"}},
		{"families are not mixed", map[string]string{"HUAWEICLOUD_SDK_AK": "a", "OS_SECRET_KEY": "s"},
			[]string{"HUAWEICLOUD_SDK_AK is set but HUAWEICLOUD_SDK_SK is not", "OS_SECRET_KEY is set", "not combined"}},
		{"HW AK without SK", map[string]string{"HW_ACCESS_KEY": "a"}, []string{"HW_ACCESS_KEY is set but HW_SECRET_KEY is not"}},
		{"password without user", map[string]string{"OS_PASSWORD": "p"}, []string{"OS_PASSWORD is set but OS_USERNAME is not"}},
		{"password without domain", map[string]string{"OS_USERNAME": "u", "OS_PASSWORD": "p", "OS_REGION_NAME": "eu-de"}, []string{"OS_USER_DOMAIN_NAME"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := mustFail(t, Flags{}, tt.env, tt.wants...)
			for _, v := range tt.env {
				if len(v) > 0 && strings.Contains(err.Error(), "="+v) {
					t.Errorf("error %q shows a value", err)
				}
			}
		})
	}
}

func TestProjectIDRequired(t *testing.T) {
	for _, env := range []map[string]string{
		{"OS_ACCESS_KEY": "a", "OS_SECRET_KEY": "s", "OS_REGION_NAME": "eu-de"},
		{"OS_AUTH_TOKEN": "t", "OS_REGION_NAME": "eu-de"},
	} {
		mustFail(t, Flags{}, env, "HUAWEICLOUD_SDK_PROJECT_ID", "OS_PROJECT_ID", "--project-id")
	}
	// Password auth scopes its token by name; the region's default project
	// is the fallback, so no project ID is needed.
	s := mustResolve(t, Flags{}, map[string]string{"OS_USERNAME": "u", "OS_PASSWORD": "p", "OS_USER_DOMAIN_NAME": "d", "OS_REGION_NAME": "eu-de"})
	if s.ProjectName != "eu-de" || s.ProjectID != "" || s.IAMEndpoint != "https://iam.eu-de.otc.t-systems.com/v3" || s.Cloud != CloudOTC {
		t.Errorf("password settings = %v", s)
	}
	s = mustResolve(t, Flags{}, map[string]string{"OS_USERNAME": "u", "OS_PASSWORD": "p", "OS_USER_DOMAIN_NAME": "d", "OS_REGION_NAME": "eu-de", "OS_PROJECT_NAME": "eu-de_ml"})
	if s.ProjectName != "eu-de_ml" {
		t.Errorf("ProjectName = %q", s.ProjectName)
	}
}

func TestProjectIDValidation(t *testing.T) {
	mustFail(t, Flags{ProjectID: "../admin"}, nil, "may only contain")
	s := mustResolve(t, Flags{ProjectID: "eu-de"}, nil)
	if len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0], "project name") {
		t.Errorf("Warnings = %q, want a hint that eu-de looks like a project name", s.Warnings)
	}
	if s := mustResolve(t, Flags{ProjectID: testPID}, nil); len(s.Warnings) != 0 {
		t.Errorf("Warnings = %q for a valid ID", s.Warnings)
	}
}

func TestNoCredentials(t *testing.T) {
	s := mustResolve(t, Flags{}, nil)
	if s.Method() != MethodNone || s.HasCredentials() || s.Endpoint != "" || s.Cloud != CloudHuawei {
		t.Errorf("empty environment: %v", s)
	}
	s, err := Resolve(Flags{}, nil) // nil env means empty
	if err != nil || s.Method() != MethodNone {
		t.Errorf("nil env: %v, %v", s, err)
	}
	// An unrelated OpenStack region must not stop the simulator from running.
	s = mustResolve(t, Flags{}, map[string]string{"OS_REGION_NAME": "RegionOne"})
	if s.Method() != MethodNone || s.Endpoint != "" {
		t.Errorf("RegionOne without credentials: %v", s)
	}
	// With credentials the same region is fatal.
	mustFail(t, Flags{}, map[string]string{"OS_REGION_NAME": "RegionOne", "OS_ACCESS_KEY": "a", "OS_SECRET_KEY": "s", "OS_PROJECT_ID": testPID},
		"regionone", "--endpoint")
	mustFail(t, Flags{}, map[string]string{"OS_ACCESS_KEY": "a", "OS_SECRET_KEY": "s", "OS_PROJECT_ID": testPID},
		"--region", "--endpoint")
}

func TestEndpointDerivation(t *testing.T) {
	creds := map[string]string{"HW_ACCESS_KEY": "a", "HW_SECRET_KEY": "s", "HW_PROJECT_ID": testPID}
	tests := []struct {
		name        string
		flags       Flags
		env         map[string]string
		cloud       string
		region      string
		endpoint    string
		iam         string
		endpointSrc string
	}{
		{"hwc region", Flags{Region: "cn-north-4"}, nil, CloudHuawei, "cn-north-4",
			"https://modelarts.cn-north-4.myhuaweicloud.com", "https://iam.cn-north-4.myhuaweicloud.com/v3", "derived from cloud and region"},
		{"hwc .cn exception", Flags{Region: "ap-southeast-1"}, nil, CloudHuawei, "ap-southeast-1",
			"https://modelarts.ap-southeast-1.myhuaweicloud.cn", "https://iam.ap-southeast-1.myhuaweicloud.com/v3", "derived from cloud and region"},
		{"otc inferred from region", Flags{Region: "eu-de"}, nil, CloudOTC, "eu-de",
			"https://modelarts.eu-de.otc.t-systems.com", "https://iam.eu-de.otc.t-systems.com/v3", "derived from cloud and region"},
		{"otc inferred from OS_AUTH_URL, region too", Flags{}, map[string]string{"OS_AUTH_URL": "https://iam.eu-nl.otc.t-systems.com/v3"}, CloudOTC, "eu-nl",
			"https://modelarts.eu-nl.otc.t-systems.com", "https://iam.eu-nl.otc.t-systems.com/v3", "derived from cloud and region"},
		{"explicit endpoint without scheme wins", Flags{Region: "eu-de", Endpoint: "modelarts.eu-nl.otc.t-systems.com/"}, nil, CloudOTC, "eu-de",
			"https://modelarts.eu-nl.otc.t-systems.com", "https://iam.eu-de.otc.t-systems.com/v3", "flag --endpoint"},
		{"cloud and region inferred from endpoint", Flags{Endpoint: "https://modelarts.cn-east-3.myhuaweicloud.com"}, nil, CloudHuawei, "cn-east-3",
			"https://modelarts.cn-east-3.myhuaweicloud.com", "https://iam.cn-east-3.myhuaweicloud.com/v3", "flag --endpoint"},
		{"region inferred from project name", Flags{ProjectName: "eu-de_ml"}, nil, CloudOTC, "eu-de",
			"https://modelarts.eu-de.otc.t-systems.com", "https://iam.eu-de.otc.t-systems.com/v3", "derived from cloud and region"},
		{"simulator endpoint, no region", Flags{Endpoint: "http://127.0.0.1:8080"}, nil, CloudHuawei, "",
			"http://127.0.0.1:8080", "https://iam.myhuaweicloud.com/v3", "flag --endpoint"},
		{"explicit cloud beats inference", Flags{Cloud: "huaweicloud", Endpoint: "http://127.0.0.1:8080"}, map[string]string{"OS_REGION_NAME": "eu-de"}, CloudHuawei, "eu-de",
			"http://127.0.0.1:8080", "https://iam.myhuaweicloud.com/v3", "flag --endpoint"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{}
			for k, v := range creds {
				env[k] = v
			}
			for k, v := range tt.env {
				env[k] = v
			}
			s := mustResolve(t, tt.flags, env)
			if s.Cloud != tt.cloud || s.Region != tt.region || s.Endpoint != tt.endpoint || s.IAMEndpoint != tt.iam {
				t.Errorf("got cloud %q region %q endpoint %q iam %q\nwant      %q        %q          %q     %q",
					s.Cloud, s.Region, s.Endpoint, s.IAMEndpoint, tt.cloud, tt.region, tt.endpoint, tt.iam)
			}
			if s.Source["endpoint"] != tt.endpointSrc {
				t.Errorf("Source[endpoint] = %q, want %q", s.Source["endpoint"], tt.endpointSrc)
			}
		})
	}
}

func TestInvalidValues(t *testing.T) {
	mustFail(t, Flags{Cloud: "aws"}, nil, "flag --cloud", `unknown cloud "aws"`)
	mustFail(t, Flags{}, map[string]string{"MATUI_ENDPOINT": "ftp://x"}, "env MATUI_ENDPOINT", "scheme")
	mustFail(t, Flags{IAMEndpoint: "https://"}, nil, "flag --iam-endpoint", "no host")
}

func TestProfileSelection(t *testing.T) {
	cfg := writeConfig(t, `
current-profile: cur
profiles:
  cur: {region: eu-de}
  byenv: {region: eu-nl}
  byflag: {region: cn-north-4}
`)
	tests := []struct {
		name         string
		flags        Flags
		env          map[string]string
		profile, src string
		region       string
	}{
		{"current-profile", Flags{ConfigPath: cfg}, nil, "cur", "current-profile", "eu-de"},
		{"MATUI_PROFILE beats current-profile", Flags{ConfigPath: cfg}, map[string]string{"MATUI_PROFILE": "byenv"}, "byenv", "env MATUI_PROFILE", "eu-nl"},
		{"--profile beats MATUI_PROFILE", Flags{ConfigPath: cfg, Profile: "byflag"}, map[string]string{"MATUI_PROFILE": "byenv"}, "byflag", "flag --profile", "cn-north-4"},
		{"MATUI_CONFIG names the file", Flags{}, map[string]string{"MATUI_CONFIG": cfg}, "cur", "current-profile", "eu-de"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustResolve(t, tt.flags, tt.env)
			if s.Profile != tt.profile || s.Source["profile"] != tt.src || s.Region != tt.region || s.ConfigPath != cfg {
				t.Errorf("profile %q (%q) region %q config %q; want %q (%q) %q %q", s.Profile, s.Source["profile"], s.Region, s.ConfigPath,
					tt.profile, tt.src, tt.region, cfg)
			}
		})
	}
}

func TestProfileImplicit(t *testing.T) {
	one := writeConfig(t, "profiles:\n  only: {region: eu-de}\n")
	if s := mustResolve(t, Flags{ConfigPath: one}, nil); s.Profile != "only" || s.Region != "eu-de" {
		t.Errorf("single profile not used: %v", s)
	}
	two := writeConfig(t, "profiles:\n  a: {region: eu-de}\n  b: {region: eu-nl}\n")
	if s := mustResolve(t, Flags{ConfigPath: two}, nil); s.Profile != "" || s.Region != "" {
		t.Errorf("two profiles without selection must use none: %v", s)
	}
}

func TestMissingProfile(t *testing.T) {
	cfg := writeConfig(t, "profiles:\n  zeta: {}\n  alpha: {}\n")
	mustFail(t, Flags{ConfigPath: cfg, Profile: "nope"}, nil, `profile "nope"`, "flag --profile", cfg, "available profiles: alpha, zeta")
	mustFail(t, Flags{ConfigPath: cfg}, map[string]string{"MATUI_PROFILE": "nope"}, "env MATUI_PROFILE", "alpha, zeta")
	empty := writeConfig(t, "current-profile: gone\n")
	mustFail(t, Flags{ConfigPath: empty}, nil, `profile "gone"`, "current-profile", "available profiles: none")
	// No config file at all.
	mustFail(t, Flags{Profile: "x"}, map[string]string{"HOME": t.TempDir()}, `profile "x"`, "no config file", "config.yaml")
	// The dashboard's :profile names itself, not a flag nobody typed
	// (issue 13 item 10).
	err := mustFail(t, Flags{ConfigPath: cfg, Profile: "nope", ProfileFrom: ":profile nope"}, nil, `profile "nope" (from :profile nope)`)
	if strings.Contains(err.Error(), "flag --profile") {
		t.Errorf(":profile blames the flag: %v", err)
	}
}

func TestConfigFileLocation(t *testing.T) {
	xdg := t.TempDir()
	writeFile(t, xdg, "matui/config.yaml", "profiles:\n  x: {region: eu-nl}\n", 0o600)
	home := t.TempDir()
	writeFile(t, home, ".config/matui/config.yaml", "profiles:\n  h: {region: cn-north-4}\n", 0o600)

	if s := mustResolve(t, Flags{}, map[string]string{"XDG_CONFIG_HOME": xdg, "HOME": home}); s.Profile != "x" || s.ConfigPath != filepath.Join(xdg, "matui", "config.yaml") {
		t.Errorf("XDG_CONFIG_HOME not used: %v", s)
	}
	if s := mustResolve(t, Flags{}, map[string]string{"HOME": home}); s.Profile != "h" {
		t.Errorf("~/.config fallback not used: %v", s)
	}
	if s := mustResolve(t, Flags{}, map[string]string{"XDG_CONFIG_HOME": "relative/dir", "HOME": home}); s.Profile != "h" {
		t.Errorf("relative XDG_CONFIG_HOME must be ignored: %v", s)
	}
	// The default file is optional.
	if s := mustResolve(t, Flags{}, map[string]string{"HOME": t.TempDir()}); s.ConfigPath != "" {
		t.Errorf("missing default file: %v", s)
	}
	// A named file is not.
	missing := filepath.Join(t.TempDir(), "nope.yaml")
	mustFail(t, Flags{ConfigPath: missing}, nil, missing, "flag --config", "does not exist")
	mustFail(t, Flags{}, map[string]string{"MATUI_CONFIG": missing}, "env MATUI_CONFIG")
	// ~ in --config expands against HOME from env.
	if s := mustResolve(t, Flags{ConfigPath: "~/.config/matui/config.yaml"}, map[string]string{"HOME": home}); s.Profile != "h" {
		t.Errorf("~ not expanded: %v", s)
	}
	// An empty file is a valid (empty) config.
	if s := mustResolve(t, Flags{ConfigPath: writeConfig(t, "")}, nil); s.Profile != "" || s.UI.PollFast != DefaultPollFast {
		t.Errorf("empty file: %v", s)
	}
}

func TestUnknownKey(t *testing.T) {
	tests := []struct {
		name, yaml string
		wants      []string
	}{
		{"top level", "current-profile: a\nthemes: x\n", []string{"line 2", `unknown key "themes"`, "current-profile, theme, keys, poll, all-users, profiles"}},
		{"profile", "profiles:\n  a:\n    region: eu-de\n    projet-id: x\n", []string{"line 4", `unknown key "projet-id"`, "project-id"}},
		{"credentials", "profiles:\n  a:\n    credentials:\n      source: env\n      ak_env: X\n", []string{"line 5", `unknown key "ak_env"`, "ak-env"}},
		{"poll", "poll:\n  fast: 1s\n  medium: 5s\n", []string{"line 3", `unknown key "medium"`, "fast, slow"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := writeConfig(t, tt.yaml)
			mustFail(t, Flags{ConfigPath: cfg}, nil, append(tt.wants, cfg)...)
			if _, err := ProfileNames(cfg); err == nil || !strings.Contains(err.Error(), tt.wants[0]) {
				t.Errorf("ProfileNames: %v", err)
			}
		})
	}
}

func TestYAMLErrorsHideValues(t *testing.T) {
	// A secret pasted where a map belongs must not be echoed back.
	cfg := writeConfig(t, "profiles:\n  a:\n    credentials: SKsuperSecretValue123\n")
	err := mustFail(t, Flags{ConfigPath: cfg}, nil, "line 3")
	if strings.Contains(err.Error(), "SKsuperSecretValue123") {
		t.Errorf("error echoes the value: %v", err)
	}
	cfg = writeConfig(t, "profiles: [\n")
	mustFail(t, Flags{ConfigPath: cfg}, nil, cfg)
}

func TestFileSemanticErrors(t *testing.T) {
	tests := []struct {
		name, yaml string
		wants      []string
	}{
		{"bad cloud", "profiles:\n  a:\n    cloud: azure\n", []string{"line 3", `unknown cloud "azure"`}},
		{"no source", "profiles:\n  a:\n    credentials:\n      ak-env: A\n      sk-env: B\n", []string{"line 3", "need a source"}},
		{"bad source", "profiles:\n  a:\n    credentials:\n      source: vault\n", []string{"line 4", `unknown credentials source "vault"`}},
		{"key of another source", "profiles:\n  a:\n    credentials:\n      source: env\n      file: x\n", []string{"line 5", `"file" is not used with source env`}},
		{"half ak-env", "profiles:\n  a:\n    credentials:\n      source: env\n      ak-env: A\n", []string{"both ak-env and sk-env"}},
		{"file without path", "profiles:\n  a:\n    credentials:\n      source: file\n", []string{"needs file:"}},
		{"inline without sk", "profiles:\n  a:\n    credentials:\n      source: inline\n      ak: A\n", []string{"needs both ak and sk"}},
		{"password without user", "profiles:\n  a:\n    credentials:\n      source: password\n      password-env: P\n", []string{"needs username"}},
		{"password twice", "profiles:\n  a:\n    credentials:\n      source: password\n      username: u\n      password: p\n      password-env: P\n", []string{"line 6", "not both"}},
		{"bad duration", "poll:\n  fast: soon\n", []string{"line 2", "invalid duration"}},
		{"negative duration", "poll:\n  slow: -1s\n", []string{"line 2", "positive"}},
		{"fast slower than slow", "poll:\n  fast: 1m\n  slow: 10s\n", []string{"line 2", "poll.fast"}},
		{"empty key binding", "keys:\n  quit: ['']\n", []string{"line 2", "empty key binding"}},
		{"broken keys", "keys:\n  quit: {a: b}\n", []string{"line 2", "string or a list"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mustFail(t, Flags{ConfigPath: writeConfig(t, tt.yaml)}, nil, tt.wants...)
		})
	}
}

func TestInsecurePermissions(t *testing.T) {
	inline := "profiles:\n  a:\n    project-id: " + testPID + "\n    region: eu-de\n    credentials:\n      source: inline\n      ak: " + testAK + "\n      sk: " + testSK + "\n"
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o660} {
		p := writeFile(t, t.TempDir(), "config.yaml", inline, mode)
		err := mustFail(t, Flags{ConfigPath: p}, nil, p, "chmod 600", fmt.Sprintf("%04o", mode))
		if strings.Contains(err.Error(), testSK) || strings.Contains(err.Error(), testAK) {
			t.Errorf("error leaks a secret: %v", err)
		}
	}
	p := writeFile(t, t.TempDir(), "config.yaml", inline, 0o600)
	s := mustResolve(t, Flags{ConfigPath: p}, nil)
	if s.Credentials.AK != testAK || s.Credentials.SK != testSK || s.Method() != MethodAKSK || s.Source["credentials"] != "inline in profile a in "+p {
		t.Errorf("inline credentials: %v", s)
	}
	// An inline password counts as a secret too, in any profile, selected or not.
	pw := "current-profile: b\nprofiles:\n  b: {}\n  a:\n    credentials: {source: password, username: u, password: pw}\n"
	mustFail(t, Flags{ConfigPath: writeFile(t, t.TempDir(), "c.yaml", pw, 0o644)}, nil, "chmod 600")
	// Without secrets the file may be world-readable.
	open := writeFile(t, t.TempDir(), "config.yaml", "profiles:\n  a:\n    region: eu-de\n    credentials: {source: env, ak-env: A, sk-env: B}\n", 0o644)
	mustResolve(t, Flags{ConfigPath: open}, map[string]string{"A": "a", "B": "b", "OS_PROJECT_ID": testPID})
}

func TestProfileCredentialSources(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "sdk.ini", "# Huawei SDK credentials\n[global]\nak = GLOBALAK\nsk = GLOBALSK\n[basic]\nak = "+testAK+"\nsk = \""+testSK+"\"\nproject_id = "+testPID2+"\nsecurity_token = TOK\n", 0o600)
	writeFile(t, dir, "flat.yaml", "ak: FLATAK\nsk: FLATSK\n", 0o600)
	writeFile(t, dir, "credentials.csv", "\xef\xbb\xbfUser Name,Access Key Id,Secret Access Key\r\nalice,CSVAK,CSVSK\r\n", 0o600)
	home := t.TempDir()
	writeFile(t, home, ".huaweicloud/credentials", "ak=HOMEAK\nsk=HOMESK\n", 0o600)
	cfg := writeFile(t, dir, "config.yaml", `
profiles:
  ini:
    region: eu-de
    credentials: {source: file, file: sdk.ini}
  ini-explicit-project:
    region: eu-de
    project-id: `+testPID+`
    credentials: {source: file, file: sdk.ini}
  flat:
    region: eu-de
    project-id: `+testPID+`
    credentials: {source: file, file: `+filepath.Join(dir, "flat.yaml")+`}
  csv:
    region: eu-de
    project-id: `+testPID+`
    credentials: {source: file, file: credentials.csv}
  home:
    region: eu-de
    project-id: `+testPID+`
    credentials: {source: file, file: ~/.huaweicloud/credentials}
  custom-env:
    region: eu-de
    project-id: `+testPID+`
    credentials: {source: env, ak-env: MY_AK, sk-env: MY_SK, security-token-env: MY_TOK}
  std-env:
    region: eu-de
    project-id: `+testPID+`
    credentials: {source: env}
  pw:
    region: eu-de
    credentials: {source: password, username: alice, password-env: MY_PW, domain-name: dom}
`, 0o600)
	env := map[string]string{"HOME": home, "MY_AK": "ENVAK", "MY_SK": "ENVSK", "MY_TOK": "ENVTOK", "MY_PW": "pw"}
	tests := []struct {
		profile   string
		want      Credentials
		projectID string
		src       string
	}{
		{"ini", Credentials{AK: testAK, SK: testSK, SecurityToken: "TOK"}, testPID2, "credentials file " + filepath.Join(dir, "sdk.ini")},
		{"ini-explicit-project", Credentials{AK: testAK, SK: testSK, SecurityToken: "TOK"}, testPID, "credentials file " + filepath.Join(dir, "sdk.ini")},
		{"flat", Credentials{AK: "FLATAK", SK: "FLATSK"}, testPID, "credentials file " + filepath.Join(dir, "flat.yaml")},
		{"csv", Credentials{AK: "CSVAK", SK: "CSVSK"}, testPID, "credentials file " + filepath.Join(dir, "credentials.csv")},
		{"home", Credentials{AK: "HOMEAK", SK: "HOMESK"}, testPID, "credentials file " + filepath.Join(home, ".huaweicloud/credentials")},
		{"custom-env", Credentials{AK: "ENVAK", SK: "ENVSK", SecurityToken: "ENVTOK"}, testPID, "env MY_AK, MY_SK, MY_TOK"},
		{"pw", Credentials{Username: "alice", Password: "pw", DomainName: "dom"}, "", "env MY_PW"},
	}
	for _, tt := range tests {
		t.Run(tt.profile, func(t *testing.T) {
			s := mustResolve(t, Flags{ConfigPath: cfg, Profile: tt.profile}, env)
			if s.Credentials != tt.want {
				t.Errorf("credentials = %+v (AK %q SK ok %v), want AK %q", s.Credentials, s.Credentials.AK, s.Credentials.SK == tt.want.SK, tt.want.AK)
			}
			if s.ProjectID != tt.projectID {
				t.Errorf("ProjectID = %q, want %q", s.ProjectID, tt.projectID)
			}
			if !strings.HasPrefix(s.Source["credentials"], tt.src) {
				t.Errorf("Source[credentials] = %q, want prefix %q", s.Source["credentials"], tt.src)
			}
			if len(s.Warnings) != 0 {
				t.Errorf("unexpected warnings %q", s.Warnings)
			}
		})
	}

	// Failures of each source.
	mustFail(t, Flags{ConfigPath: cfg, Profile: "custom-env"}, map[string]string{"MY_AK": "a"}, "MY_AK is set but MY_SK is not")
	mustFail(t, Flags{ConfigPath: cfg, Profile: "custom-env"}, nil, "MY_AK and MY_SK are not set", "profile custom-env")
	mustFail(t, Flags{ConfigPath: cfg, Profile: "std-env"}, nil, "source is env", "HUAWEICLOUD_SDK_AK")
	mustFail(t, Flags{ConfigPath: cfg, Profile: "pw"}, nil, "MY_PW")
	mustFail(t, Flags{ConfigPath: cfg, Profile: "home"}, nil, "HOME is not set")

	// Standard environment credentials beat the profile's, with a warning.
	s := mustResolve(t, Flags{ConfigPath: cfg, Profile: "custom-env"}, map[string]string{"HW_ACCESS_KEY": "hwak", "HW_SECRET_KEY": "hwsk", "MY_AK": "x", "MY_SK": "y"})
	if s.Credentials.AK != "hwak" || len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0], "override those of profile custom-env") {
		t.Errorf("env over profile: AK %q warnings %q", s.Credentials.AK, s.Warnings)
	}
	if strings.Contains(strings.Join(s.Warnings, " "), "hwsk") {
		t.Error("warning leaks the SK")
	}
}

func TestCredentialsFileErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, content string
		mode          os.FileMode
		wants         []string
	}{
		{"group readable", "ak = A\nsk = " + testSK + "\n", 0o640, []string{"chmod 600"}},
		{"no sk", "ak = A\n", 0o600, []string{"needs both ak and sk"}},
		{"garbage line", "ak = A\n" + testSK + "\n", 0o600, []string{"line 2", "key = value"}},
		{"other section only", "[global]\nak = A\nsk = B\n", 0o600, []string{"no ak found", "[basic]"}},
		{"csv without row", "User Name,Access Key Id,Secret Access Key\n", 0o600, []string{"no key row"}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, dir, fmt.Sprintf("c%d", i), tt.content, tt.mode)
			err := mustFail(t, Flags{}, map[string]string{"HUAWEICLOUD_SDK_CREDENTIALS_FILE": p, "OS_PROJECT_ID": testPID, "OS_REGION_NAME": "eu-de"},
				append(tt.wants, p)...)
			if strings.Contains(err.Error(), testSK) {
				t.Errorf("error leaks the secret: %v", err)
			}
		})
	}
	// And the happy path through the environment variable.
	p := writeFile(t, dir, "ok", "ak = A\nsk = B\nproject_id = "+testPID2+"\n", 0o600)
	s := mustResolve(t, Flags{}, map[string]string{"HUAWEICLOUD_SDK_CREDENTIALS_FILE": p, "OS_REGION_NAME": "eu-de"})
	if s.Credentials.AK != "A" || s.ProjectID != testPID2 || !strings.Contains(s.Source["credentials"], "HUAWEICLOUD_SDK_CREDENTIALS_FILE") {
		t.Errorf("credentials file via env: %v", s)
	}
}

func TestUISettings(t *testing.T) {
	cfg := writeConfig(t, `
theme: global
keys:
  quit: [q, ctrl+c]
  refresh: r
poll:
  fast: 500ms
  slow: 1m
profiles:
  plain: {}
  red: {theme: red}
`)
	s := mustResolve(t, Flags{ConfigPath: cfg, Profile: "plain"}, nil)
	want := UI{Theme: "global", Keys: map[string][]string{"quit": {"q", "ctrl+c"}, "refresh": {"r"}}, PollFast: 500 * time.Millisecond, PollSlow: time.Minute}
	if s.UI.Theme != want.Theme || s.UI.PollFast != want.PollFast || s.UI.PollSlow != want.PollSlow ||
		!slices.Equal(s.UI.Keys["quit"], want.Keys["quit"]) || !slices.Equal(s.UI.Keys["refresh"], want.Keys["refresh"]) || len(s.UI.Keys) != 2 {
		t.Errorf("UI = %v, want %v", s.UI, want)
	}
	if s := mustResolve(t, Flags{ConfigPath: cfg, Profile: "red"}, nil); s.UI.Theme != "red" {
		t.Errorf("profile theme: %q", s.UI.Theme)
	}
	if s := mustResolve(t, Flags{}, nil); s.UI.PollFast != DefaultPollFast || s.UI.PollSlow != DefaultPollSlow || s.UI.Keys != nil {
		t.Errorf("defaults: %v", s.UI)
	}
	// Only one of the two given: the other keeps its default.
	if s := mustResolve(t, Flags{ConfigPath: writeConfig(t, "poll: {slow: 5m}\n")}, nil); s.UI.PollFast != DefaultPollFast || s.UI.PollSlow != 5*time.Minute {
		t.Errorf("partial poll: %v", s.UI)
	}
}

func TestProfileNames(t *testing.T) {
	cfg := writeConfig(t, "profiles:\n  b: {}\n  a: {}\n  c: {}\n")
	names, err := ProfileNames(cfg)
	if err != nil || !slices.Equal(names, []string{"a", "b", "c"}) {
		t.Errorf("ProfileNames = %v, %v", names, err)
	}
	if names, err := ProfileNames(writeConfig(t, "")); err != nil || len(names) != 0 {
		t.Errorf("empty file: %v, %v", names, err)
	}
	if _, err := ProfileNames(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("missing file: no error")
	}
	if _, err := ProfileNames(""); err == nil {
		t.Error("empty path: no error")
	}
}

// TestEnvParameterIsTheOnlyEnvironment sets real process variables that
// would change every result and checks Resolve ignores them.
func TestEnvParameterIsTheOnlyEnvironment(t *testing.T) {
	home := t.TempDir()
	writeFile(t, home, ".config/matui/config.yaml", "profiles:\n  real: {region: eu-de}\n", 0o600)
	for k, v := range map[string]string{
		"HUAWEICLOUD_SDK_AK": "realak", "HUAWEICLOUD_SDK_SK": "realsk", "HUAWEICLOUD_SDK_PROJECT_ID": testPID,
		"OS_ACCESS_KEY": "a", "OS_SECRET_KEY": "s", "OS_AUTH_TOKEN": "t", "OS_USERNAME": "u", "OS_PASSWORD": "p",
		"OS_REGION_NAME": "eu-de", "MATUI_ENDPOINT": "https://real.example.test", "MATUI_PROFILE": "real",
		"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, ".config"), "MATUI_CLOUD": "otc",
	} {
		t.Setenv(k, v)
	}
	s := mustResolve(t, Flags{}, map[string]string{"MATUI_REGION": "cn-north-4"})
	if s.Method() != MethodNone || s.Region != "cn-north-4" || s.Endpoint != "https://modelarts.cn-north-4.myhuaweicloud.com" ||
		s.Profile != "" || s.ConfigPath != "" || s.Cloud != CloudHuawei || s.ProjectID != "" {
		t.Errorf("process environment leaked into Resolve: %v", s)
	}
}

// all-users: the flag, else the profile, else the file's top level, else
// false; a non-boolean value is an error naming the line.
func TestAllUsers(t *testing.T) {
	on, off := true, false
	file := "all-users: true\nprofiles:\n  mine:\n    region: eu-de\n    project-id: 0123456789abcdef0123456789abcdef\n    all-users: false\n  team:\n    region: eu-de\n    project-id: 0123456789abcdef0123456789abcdef\n"
	cfg := writeConfig(t, file)
	for _, c := range []struct {
		profile string
		flag    *bool
		want    bool
		source  string
	}{
		{"team", nil, true, "config file " + cfg},
		{"mine", nil, false, "profile mine in " + cfg},
		{"mine", &on, true, "flag --all-users"},
		{"team", &off, false, "flag --all-users"},
	} {
		s := mustResolve(t, Flags{ConfigPath: cfg, Profile: c.profile, AllUsers: c.flag}, nil)
		if s.AllUsers != c.want || s.Source["all-users"] != c.source {
			t.Errorf("profile %s, flag %v: %v from %q, want %v from %q", c.profile, c.flag, s.AllUsers, s.Source["all-users"], c.want, c.source)
		}
	}
	if s := mustResolve(t, Flags{}, nil); s.AllUsers {
		t.Error("all-users without a file or flag")
	}
	mustFail(t, Flags{ConfigPath: writeConfig(t, "all-users: everyone\n")}, nil, "line 1")
}
