package config

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// Cloud identifiers as they appear in Settings.Cloud.
const (
	CloudHuawei = "huaweicloud"
	CloudOTC    = "otc"
)

// huaweiRegions lists the regions for which Go SDK v0.1.207 ships a
// ModelArts endpoint (API reference §7.3). It is a function rather than a
// package variable so that no caller can mutate the table.
func huaweiRegions() []string {
	return []string{
		"af-north-1", "af-south-1",
		"ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
		"cn-east-3", "cn-east-4",
		"cn-north-1", "cn-north-11", "cn-north-12", "cn-north-2", "cn-north-4", "cn-north-9",
		"cn-south-1", "cn-southwest-2", "cn-southwest-3",
		"la-north-2", "la-south-2",
		"me-east-1", "sa-brazil-1", "tr-west-1",
	}
}

// otcRegions: OTC documents a ModelArts endpoint for eu-de only; eu-nl is
// accepted because every other OTC service there follows the same
// {service}.{region}.otc.t-systems.com pattern.
func otcRegions() []string { return []string{"eu-de", "eu-nl"} }

// KnownRegions returns the regions ModelArtsEndpoint can derive an endpoint
// for, sorted, for completion and error messages.
func KnownRegions(cloud string) []string {
	switch cloud {
	case CloudOTC:
		return otcRegions()
	case CloudHuawei:
		return huaweiRegions()
	}
	return nil
}

// NormalizeCloud maps the spellings users type to CloudHuawei or CloudOTC.
func NormalizeCloud(s string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "huaweicloud", "huawei", "hwc", "huawei-cloud", "huaweicloud.com":
		return CloudHuawei, nil
	case "otc", "opentelekomcloud", "open-telekom-cloud", "t-systems", "tsystems":
		return CloudOTC, nil
	}
	return "", fmt.Errorf("unknown cloud %q: use %q or %q", s, CloudHuawei, CloudOTC)
}

// ModelArtsEndpoint derives the ModelArts base URL (scheme included, no
// trailing slash) from a cloud and a region.
func ModelArtsEndpoint(cloud, region string) (string, error) {
	cloud, err := NormalizeCloud(cloud)
	if err != nil {
		return "", err
	}
	region = strings.ToLower(strings.TrimSpace(region))
	if region == "" {
		return "", fmt.Errorf("no region: set --region (or MATUI_REGION, OS_REGION_NAME, HW_REGION_NAME, or region: in the profile), or pass --endpoint")
	}
	known := KnownRegions(cloud)
	if !slices.Contains(known, region) {
		return "", fmt.Errorf("no known ModelArts endpoint for %s region %q (known: %s); pass --endpoint https://modelarts.<region>.<domain>",
			cloud, region, strings.Join(known, ", "))
	}
	if cloud == CloudOTC {
		return "https://modelarts." + region + ".otc.t-systems.com", nil
	}
	if region == "ap-southeast-1" {
		// The SDK region table puts this one region under .cn (API reference §8.18).
		return "https://modelarts.ap-southeast-1.myhuaweicloud.cn", nil
	}
	return "https://modelarts." + region + ".myhuaweicloud.com", nil
}

// IAMEndpoint derives the IAM (Keystone v3) root for a cloud and region.
//
// The result always ends in "/v3" so that callers build the token URL as
// IAMEndpoint+"/auth/tokens" for both clouds: OTC publishes its IAM URL with
// /v3 (that is what OS_AUTH_URL holds) while the Huawei SDK's
// HUAWEICLOUD_SDK_IAM_ENDPOINT has none; normalising here keeps that
// difference out of the auth code. An empty region on Huawei Cloud yields the
// global endpoint, which serves every region.
func IAMEndpoint(cloud, region string) (string, error) {
	cloud, err := NormalizeCloud(cloud)
	if err != nil {
		return "", err
	}
	region = strings.ToLower(strings.TrimSpace(region))
	switch cloud {
	case CloudOTC:
		if !slices.Contains(otcRegions(), region) {
			return "", fmt.Errorf("no known IAM endpoint for otc region %q (known: %s); pass --iam-endpoint",
				region, strings.Join(otcRegions(), ", "))
		}
		return "https://iam." + region + ".otc.t-systems.com/v3", nil
	default:
		if region == "" {
			return "https://iam.myhuaweicloud.com/v3", nil
		}
		// Regional IAM endpoints are all under .com, including ap-southeast-1
		// (SDK services/iam/v3/region); unknown regions fall back to the
		// global endpoint rather than guessing a host that may not exist.
		if !slices.Contains(huaweiRegions(), region) {
			return "https://iam.myhuaweicloud.com/v3", nil
		}
		return "https://iam." + region + ".myhuaweicloud.com/v3", nil
	}
}

// normalizeEndpoint adds https:// to a bare host (as the SDK does), trims
// trailing slashes and rejects values that are not an absolute http(s) URL,
// so that a typo fails at start-up rather than on the first request.
func normalizeEndpoint(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", nil
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	s = strings.TrimRight(s, "/")
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("invalid endpoint %q: %v", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("invalid endpoint %q: scheme must be http or https", raw)
	}
	if u.Host == "" {
		return "", fmt.Errorf("invalid endpoint %q: no host", raw)
	}
	if u.User != nil {
		// Credentials never travel in the URL; refusing here also keeps them
		// out of Settings, whose endpoints are printed unredacted.
		return "", fmt.Errorf("invalid endpoint: user information in the URL is not allowed")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("invalid endpoint %q: no query or fragment allowed", raw)
	}
	return s, nil
}

// normalizeIAMEndpoint is normalizeEndpoint plus the "/v3" convention of
// IAMEndpoint: a bare host gets /v3, a URL that already names a path is kept
// (a simulator may serve IAM under its own prefix).
func normalizeIAMEndpoint(raw string) (string, error) {
	s, err := normalizeEndpoint(raw)
	if err != nil || s == "" {
		return s, err
	}
	u, _ := url.Parse(s) // validated above
	if u.Path == "" {
		s += "/v3"
	}
	return s, nil
}

// cloudFromHost infers the cloud from an endpoint URL's host.
func cloudFromHost(endpoint string) string {
	host := hostOf(endpoint)
	switch {
	case host == "otc.t-systems.com" || strings.HasSuffix(host, ".otc.t-systems.com"):
		return CloudOTC
	case strings.Contains(host, ".myhuaweicloud."), strings.HasPrefix(host, "myhuaweicloud."):
		return CloudHuawei
	}
	return ""
}

// regionFromHost extracts {region} from "{service}.{region}.{domain}" hosts
// of the two clouds, e.g. iam.eu-de.otc.t-systems.com → eu-de.
func regionFromHost(endpoint string) string {
	host := hostOf(endpoint)
	if cloudFromHost(endpoint) == "" {
		return ""
	}
	parts := strings.Split(host, ".")
	if len(parts) < 4 {
		return "" // iam.myhuaweicloud.com: global, no region
	}
	r := parts[1]
	// Region IDs look like "eu-de" or "cn-north-4": letters, digits, dashes,
	// at least one dash.
	if !strings.Contains(r, "-") {
		return ""
	}
	return r
}

func hostOf(endpoint string) string {
	s := strings.TrimSpace(endpoint)
	if s == "" {
		return ""
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}
