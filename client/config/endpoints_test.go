package config

import (
	"slices"
	"strings"
	"testing"
)

func TestModelArtsEndpoint(t *testing.T) {
	tests := []struct{ cloud, region, want string }{
		{"huaweicloud", "cn-north-4", "https://modelarts.cn-north-4.myhuaweicloud.com"},
		{"huaweicloud", "af-south-1", "https://modelarts.af-south-1.myhuaweicloud.com"},
		{"hwc", "CN-EAST-3", "https://modelarts.cn-east-3.myhuaweicloud.com"},
		{"huaweicloud", "ap-southeast-1", "https://modelarts.ap-southeast-1.myhuaweicloud.cn"},
		{"huaweicloud", "ap-southeast-3", "https://modelarts.ap-southeast-3.myhuaweicloud.com"},
		{"otc", "eu-de", "https://modelarts.eu-de.otc.t-systems.com"},
		{"opentelekomcloud", "eu-nl", "https://modelarts.eu-nl.otc.t-systems.com"},
	}
	for _, tt := range tests {
		got, err := ModelArtsEndpoint(tt.cloud, tt.region)
		if err != nil || got != tt.want {
			t.Errorf("ModelArtsEndpoint(%q, %q) = %q, %v; want %q", tt.cloud, tt.region, got, err, tt.want)
		}
	}
}

func TestModelArtsEndpointErrors(t *testing.T) {
	tests := []struct {
		cloud, region string
		wants         []string
	}{
		{"otc", "eu-ch2", []string{`"eu-ch2"`, "eu-de, eu-nl", "--endpoint"}},
		{"huaweicloud", "eu-de", []string{"cn-north-4", "--endpoint"}},
		{"huaweicloud", "", []string{"no region", "--endpoint"}},
		{"aws", "us-east-1", []string{`unknown cloud "aws"`}},
	}
	for _, tt := range tests {
		_, err := ModelArtsEndpoint(tt.cloud, tt.region)
		if err == nil {
			t.Errorf("ModelArtsEndpoint(%q, %q): no error", tt.cloud, tt.region)
			continue
		}
		for _, w := range tt.wants {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("ModelArtsEndpoint(%q, %q) error %q lacks %q", tt.cloud, tt.region, err, w)
			}
		}
	}
}

func TestIAMEndpoint(t *testing.T) {
	tests := []struct{ cloud, region, want string }{
		{"huaweicloud", "cn-north-4", "https://iam.cn-north-4.myhuaweicloud.com/v3"},
		{"huaweicloud", "ap-southeast-1", "https://iam.ap-southeast-1.myhuaweicloud.com/v3"},
		{"huaweicloud", "", "https://iam.myhuaweicloud.com/v3"},
		{"huaweicloud", "xx-nowhere-1", "https://iam.myhuaweicloud.com/v3"},
		{"otc", "eu-de", "https://iam.eu-de.otc.t-systems.com/v3"},
		{"otc", "eu-nl", "https://iam.eu-nl.otc.t-systems.com/v3"},
	}
	for _, tt := range tests {
		got, err := IAMEndpoint(tt.cloud, tt.region)
		if err != nil || got != tt.want {
			t.Errorf("IAMEndpoint(%q, %q) = %q, %v; want %q", tt.cloud, tt.region, got, err, tt.want)
		}
	}
	if _, err := IAMEndpoint("otc", ""); err == nil {
		t.Error(`IAMEndpoint("otc", "") succeeded; OTC has no global IAM endpoint`)
	}
}

func TestKnownRegionsSorted(t *testing.T) {
	for _, c := range []string{CloudHuawei, CloudOTC} {
		rs := KnownRegions(c)
		if len(rs) == 0 || !slices.IsSorted(rs) {
			t.Errorf("KnownRegions(%s) = %v, want a non-empty sorted list", c, rs)
		}
	}
	// The table returned must be a copy: a caller appending or sorting it
	// must not change what the next caller sees.
	rs := KnownRegions(CloudOTC)
	rs[0] = "mutated"
	if KnownRegions(CloudOTC)[0] != "eu-de" {
		t.Error("KnownRegions exposes shared state")
	}
}

func TestNormalizeEndpoint(t *testing.T) {
	tests := []struct{ in, want string }{
		{"modelarts.eu-de.otc.t-systems.com", "https://modelarts.eu-de.otc.t-systems.com"},
		{"https://modelarts.eu-de.otc.t-systems.com/", "https://modelarts.eu-de.otc.t-systems.com"},
		{"http://127.0.0.1:8080//", "http://127.0.0.1:8080"},
		{"  https://example.test/prefix/  ", "https://example.test/prefix"},
		{"", ""},
	}
	for _, tt := range tests {
		got, err := normalizeEndpoint(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("normalizeEndpoint(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"ftp://host", "https://", "https://user:pw@host", "https://host/?a=b"} {
		if got, err := normalizeEndpoint(bad); err == nil {
			t.Errorf("normalizeEndpoint(%q) = %q, want error", bad, got)
		}
	}
	_, err := normalizeEndpoint("https://user:hunter2@host")
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("userinfo error %v must exist and not echo the password", err)
	}
}

func TestNormalizeIAMEndpoint(t *testing.T) {
	tests := []struct{ in, want string }{
		{"iam.myhuaweicloud.com", "https://iam.myhuaweicloud.com/v3"},
		{"https://iam.eu-de.otc.t-systems.com/v3/", "https://iam.eu-de.otc.t-systems.com/v3"},
		{"http://127.0.0.1:9000/iam", "http://127.0.0.1:9000/iam"},
	}
	for _, tt := range tests {
		got, err := normalizeIAMEndpoint(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("normalizeIAMEndpoint(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestHostInference(t *testing.T) {
	tests := []struct{ url, cloud, region string }{
		{"https://iam.eu-de.otc.t-systems.com/v3", CloudOTC, "eu-de"},
		{"modelarts.cn-north-4.myhuaweicloud.com", CloudHuawei, "cn-north-4"},
		{"https://modelarts.ap-southeast-1.myhuaweicloud.cn", CloudHuawei, "ap-southeast-1"},
		{"https://iam.myhuaweicloud.com", CloudHuawei, ""},
		{"http://127.0.0.1:8080", "", ""},
		{"https://nototc.t-systems.com.evil.test", "", ""},
	}
	for _, tt := range tests {
		if c, r := cloudFromHost(tt.url), regionFromHost(tt.url); c != tt.cloud || r != tt.region {
			t.Errorf("%s: cloud %q region %q; want %q %q", tt.url, c, r, tt.cloud, tt.region)
		}
	}
}
