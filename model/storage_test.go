package model

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestValidateMountPath(t *testing.T) {
	seg := func(n int) string { return strings.Repeat("d", n) }
	// "/data/" is 6 characters: 249 + 1 for the trailing slash reaches 256.
	checkCases(t, []vcase{
		{"sample", ValidateMountPath("/data/wang/"), "", ""},
		{"no trailing slash", ValidateMountPath("/data/wang"), "", ""},
		{"nested", ValidateMountPath("/data/team/imagenet-2012/"), "", ""},
		{"dots inside", ValidateMountPath("/data/v1.2_x-y/"), "", ""},
		{"256 characters", ValidateMountPath("/data/" + seg(249) + "/"), "", ""},
		{"257 characters", ValidateMountPath("/data/" + seg(250) + "/"), "mount_path", "at most 256 characters"},
		{"empty", ValidateMountPath(""), "mount_path", "below /data/"},
		{"data itself", ValidateMountPath("/data/"), "mount_path", "below /data/"},
		{"data without slash", ValidateMountPath("/data"), "mount_path", "below /data/"},
		{"other root", ValidateMountPath("/home/ma-user/work/x/"), "mount_path", "below /data/"},
		{"lookalike prefix", ValidateMountPath("/database/x/"), "mount_path", "below /data/"},
		{"relative", ValidateMountPath("data/x/"), "mount_path", "below /data/"},
		{"double slash", ValidateMountPath("/data//x/"), "mount_path", "below /data/"},
		{"dot dot", ValidateMountPath("/data/../etc/"), "mount_path", "below /data/"},
		{"dot", ValidateMountPath("/data/./x/"), "mount_path", "below /data/"},
		{"space", ValidateMountPath("/data/my data/"), "mount_path", "below /data/"},
		{"non-ASCII", ValidateMountPath("/data/数据/"), "mount_path", "below /data/"},
		{"newline", ValidateMountPath("/data/x\n/"), "mount_path", "below /data/"},
	})
}

func TestMountPathsOverlap(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"/data/a/", "/data/a/", true},
		{"/data/a", "/data/a/", true},
		{"/data/a/", "/data/a/b/", true},
		{"/data/a/b", "/data/a", true},
		{"/data/a/", "/data/ab/", false},
		{"/data/ab", "/data/a", false},
		{"/data/a/", "/data/b/", false},
	} {
		if got := MountPathsOverlap(c.a, c.b); got != c.want {
			t.Errorf("MountPathsOverlap(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

func TestValidateStorageURI(t *testing.T) {
	bucket := func(n int) string { return strings.Repeat("b", n) }
	long := "obs://bucket/" + strings.Repeat("d", 242) + "/" // 13 + 242 + 1 = 256
	checkCases(t, []vcase{
		{"sample", ValidateStorageURI("OBS", "obs://authoring-test/wang/"), "", ""},
		{"OBSFS lowercase category", ValidateStorageURI("obsfs", "obs://pfs-bucket/data/"), "", ""},
		{"bucket root", ValidateStorageURI("OBSFS", "obs://pfs-bucket/"), "", ""},
		{"nested", ValidateStorageURI("OBS", "obs://b-1.x/a/b/c/"), "", ""},
		{"256 characters", ValidateStorageURI("OBS", long), "", ""},
		{"257 characters", ValidateStorageURI("OBS", long[:len(long)-1]+"d/"), "uri", "at most 256 characters"},
		{"bucket 3", ValidateStorageURI("OBS", "obs://"+bucket(3)+"/"), "", ""},
		{"bucket 2", ValidateStorageURI("OBS", "obs://"+bucket(2)+"/"), "uri", "3–63 lowercase"},
		{"bucket 63", ValidateStorageURI("OBS", "obs://"+bucket(63)+"/"), "", ""},
		{"bucket 64", ValidateStorageURI("OBS", "obs://"+bucket(64)+"/"), "uri", "3–63 lowercase"},
		{"bucket upper", ValidateStorageURI("OBS", "obs://Bucket/x/"), "uri", "3–63 lowercase"},
		{"bucket underscore", ValidateStorageURI("OBS", "obs://my_bucket/x/"), "uri", "3–63 lowercase"},
		{"bucket edge dash", ValidateStorageURI("OBS", "obs://-bucket/x/"), "uri", "3–63 lowercase"},
		{"bucket dot dash", ValidateStorageURI("OBS", "obs://a.-b/x/"), "uri", "3–63 lowercase"},
		{"no bucket", ValidateStorageURI("OBS", "obs:///x/"), "uri", "obs://bucket/dir/"},
		{"no scheme", ValidateStorageURI("OBS", "/bucket/x/"), "uri", "obs://bucket/dir/"},
		{"https", ValidateStorageURI("OBS", "https://bucket.obs.eu-de/x/"), "uri", "obs://bucket/dir/"},
		{"no trailing slash", ValidateStorageURI("OBS", "obs://bucket/x"), "uri", "obs://bucket/dir/"},
		{"bucket without slash", ValidateStorageURI("OBS", "obs://bucket"), "uri", "obs://bucket/dir/"},
		{"double slash", ValidateStorageURI("OBS", "obs://bucket/a//b/"), "uri", "obs://bucket/dir/"},
		{"dot dot", ValidateStorageURI("OBS", "obs://bucket/../x/"), "uri", "obs://bucket/dir/"},
		{"space", ValidateStorageURI("OBS", "obs://bucket/a b/"), "uri", "obs://bucket/dir/"},
		{"empty", ValidateStorageURI("OBS", ""), "uri", "obs://bucket/dir/"},
		{"EFS sample", ValidateStorageURI("EFS", "da669f6e-5591-4c10-b2a7-18d053a75677.sfsturbo.internal:/notebook"), "", ""},
		{"EFS root", ValidateStorageURI("EFS", "192.168.0.5:/"), "", ""},
		{"EFS obs url", ValidateStorageURI("EFS", "obs://bucket/x/"), "uri", "host:/path"},
		{"EFS no host", ValidateStorageURI("EFS", ":/notebook"), "uri", "host:/path"},
		{"EFS no colon", ValidateStorageURI("EFS", "share/notebook"), "uri", "host:/path"},
		{"EFS relative", ValidateStorageURI("EFS", "host:notebook"), "uri", "host:/path"},
		{"EFS host underscore", ValidateStorageURI("EFS", "a_b:/x"), "uri", "host:/path"},
	})
}

func TestAttachStorageRequestValidate(t *testing.T) {
	efs := "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9"
	for _, c := range []struct {
		name   string
		req    AttachStorageRequest
		fields []string
	}{
		{"sample", AttachStorageRequest{Category: "OBS", MountPath: "/data/wang/", URI: "obs://authoring-test/wang/"}, nil},
		{"EFS", AttachStorageRequest{Category: "EFS", MountPath: "/data/share/", URI: "share.sfsturbo.internal:/nb", EfsID: efs}, nil},
		{"EFS without id", AttachStorageRequest{Category: "EFS", MountPath: "/data/share/", URI: "h:/nb"}, []string{"efs_id"}},
		{"EFS bad id", AttachStorageRequest{Category: "EFS", MountPath: "/data/share/", URI: "h:/nb", EfsID: "fs-1"}, []string{"efs_id"}},
		{"efs_id on OBS", AttachStorageRequest{Category: "OBS", MountPath: "/data/x/", URI: "obs://bkt/x/", EfsID: efs}, []string{"efs_id"}},
		{"unknown category", AttachStorageRequest{Category: "EVS", MountPath: "/data/x/", URI: "whatever"}, []string{"category"}},
		{"everything wrong", AttachStorageRequest{Category: "OBS", MountPath: "/tmp/", URI: "s3://x/"}, []string{"mount_path", "uri"}},
		{"empty", AttachStorageRequest{}, []string{"category", "mount_path"}},
	} {
		t.Run(c.name, func(t *testing.T) { assertFields(t, c.req.Validate(), c.fields...) })
	}
	var nilReq *AttachStorageRequest
	if nilReq.Validate() == nil {
		t.Error("a nil request must fail")
	}
}

func TestDataVolumeDecodesLeniently(t *testing.T) {
	var d DataVolume
	if err := json.Unmarshal([]byte(`{"id":"m1","category":"OBSFS","status":7,"mount_path":"/data/x/","uri":"obs://b/x/","failure_reason":null}`), &d); err != nil {
		t.Fatal(err)
	}
	if d.ID != "m1" || d.Status != "" || d.MountPath != "/data/x/" || d.URI != "obs://b/x/" {
		t.Fatalf("decoded %+v", d)
	}
	if !MountHolds(MountMountFailed) || !MountHolds("mounted") || MountHolds("unmounted") {
		t.Error("MountHolds: failed and mounted mounts hold their directory, unmounted ones do not")
	}
}
