package model

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// Fuzz targets of the validators that read user input in the storage, tag
// and save-as-image forms. Each checks the FieldError shape (fuzzFieldError)
// and, for accepted input, properties stated independently of the code.

func FuzzValidateMountPath(f *testing.F) {
	for _, s := range []string{
		"/data/wang/", "/data/wang", "/data/", "/data", "/data//x/", "/data/../x/", "/data/a.b/c/",
		"/database/x/", "data/x/", "/data/x y/", "/data/数据/", "/data/x\x00/", "", "/data/" + strings.Repeat("d", 250),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		err := ValidateMountPath(p)
		fuzzFieldError(t, err, "mount_path")
		if err != nil {
			return
		}
		rest, ok := strings.CutPrefix(p, "/data/")
		if !ok || utf8.RuneCountInString(p) > 256 || strings.Trim(rest, "/") == "" {
			t.Fatalf("accepted %q (not a directory below /data/, or too long)", p)
		}
		for _, s := range strings.Split(strings.TrimSuffix(rest, "/"), "/") {
			if s == "" || s == "." || s == ".." || strings.IndexFunc(s, func(r rune) bool { return !isPortableNameChar(r) }) >= 0 {
				t.Fatalf("accepted %q with segment %q", p, s)
			}
		}
		// Both spellings of the directory are accepted and overlap.
		c := CleanMountPath(p)
		if ValidateMountPath(strings.TrimSuffix(c, "/")) != nil && utf8.RuneCountInString(c) <= 256 {
			t.Fatalf("accepted %q but not without its slash", p)
		}
		if !MountPathsOverlap(p, c) || !MountPathsOverlap(c+"sub/", p) || MountPathsOverlap(p, strings.TrimSuffix(c, "/")+"x/") {
			t.Fatalf("overlap of %q is wrong", p)
		}
	})
}

func FuzzValidateStorageURI(f *testing.F) {
	for _, s := range []string{
		"obs://authoring-test/wang/", "obs://bkt/", "obs://bkt", "obs://Bkt/x/", "obs://b/x/", "obs://a..b/x/",
		"obs://bkt//x/", "obs://bkt/x", "s3://bkt/x/", "h.sfsturbo.internal:/nb", ":/x", "h:x", "",
	} {
		for _, c := range []string{"OBS", "OBSFS", "EFS", "obs"} {
			f.Add(c, s)
		}
	}
	f.Fuzz(func(t *testing.T, category, uri string) {
		err := ValidateStorageURI(category, uri)
		fuzzFieldError(t, err, "uri")
		if err != nil {
			return
		}
		if uri == "" || utf8.RuneCountInString(uri) > 256 || strings.ContainsAny(uri, " \t\r\n") {
			t.Fatalf("accepted %q", uri)
		}
		switch NormEnum(category) {
		case StorageOBS, StorageOBSFS:
			rest, ok := strings.CutPrefix(uri, "obs://")
			bucket, _, _ := strings.Cut(rest, "/")
			if !ok || !strings.HasSuffix(uri, "/") || strings.Contains(rest, "//") || len(bucket) < 3 || len(bucket) > 63 ||
				bucket != strings.ToLower(bucket) {
				t.Fatalf("accepted OBS URI %q", uri)
			}
		case StorageEFS:
			host, path, ok := strings.Cut(uri, ":")
			if !ok || host == "" || !strings.HasPrefix(path, "/") {
				t.Fatalf("accepted EFS URI %q", uri)
			}
		}
		// Inside a whole request the URI is judged the same way.
		r := AttachStorageRequest{Category: category, MountPath: "/data/x/", URI: uri}
		if NormEnum(category) == StorageEFS {
			r.EfsID = "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9"
		}
		if ValidateStorageURI(category, uri) == nil && checkEnumFold("category", category, false, StorageOBS, StorageOBSFS, StorageEFS) == nil && r.Validate() != nil {
			t.Fatalf("URI %q accepted alone, request refused: %v", uri, r.Validate())
		}
	})
}

func FuzzValidateTag(f *testing.F) {
	for _, s := range [][2]string{
		{"team", "nlp"}, {"cost center", ""}, {" team", "x"}, {"_sys_x", "y"}, {"项目", "视觉/v2"}, {"a,b", "c|d"},
		{strings.Repeat("k", 129), strings.Repeat("v", 256)}, {"k\xff", "v\x00"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, key, value string) {
		kerr, verr := ValidateTagKey(key), ValidateTagValue(value)
		fuzzFieldError(t, kerr, "key")
		fuzzFieldError(t, verr, "value")
		if kerr == nil {
			if key == "" || strings.TrimSpace(key) != key || strings.HasPrefix(key, "_sys_") ||
				utf8.RuneCountInString(key) > 128 || strings.ContainsAny(key, ",|/\t\n") {
				t.Fatalf("accepted key %q", key)
			}
		}
		if verr == nil && (utf8.RuneCountInString(value) > 255 || strings.ContainsAny(value, ",|\t\n")) {
			t.Fatalf("accepted value %q", value)
		}
		if kerr != nil || verr != nil {
			return
		}
		// A valid tag survives JSON, is accepted in a request, and a filter
		// for it parses back to itself and matches it.
		b, _ := json.Marshal(TagsRequest{Tags: []Tag{{Key: key, Value: value}}})
		var r TagsRequest
		if err := json.Unmarshal(b, &r); err != nil || r.Validate() != nil || r.Tags[0] != (Tag{key, value}) {
			t.Fatalf("round trip of %q=%q: %+v %v", key, value, r, r.Validate())
		}
		fs := []TagFilter{{Key: key, Value: value}, {Key: key, AnyValue: true}}
		got, err := ParseTagFilter(FormatTagFilter(fs))
		if err != nil || len(got) != 2 || got[0] != fs[0] || got[1] != fs[1] || !MatchTags(r.Tags, got) {
			t.Fatalf("filter round trip of %q=%q: %v %v", key, value, got, err)
		}
	})
}

func FuzzParseTagFilter(f *testing.F) {
	for _, s := range []string{
		"tag_key1|tag_value1,tag_key2|tag_value2", "team", "team|", "a,,b", "a||b", ",a", "|a", "a,", "a|b|c", "a|,b",
		"项目|视觉", "_sys_x|y", "", " a", "a|b c/d",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fs, err := ParseTagFilter(s)
		if err != nil {
			fuzzFieldError(t, err, "tags")
			if fs != nil {
				t.Fatal("filters returned with an error")
			}
			return
		}
		// An accepted filter renders back to the same text, and every item
		// is a valid tag key and value.
		if got := FormatTagFilter(fs); got != s {
			t.Fatalf("ParseTagFilter(%q) renders back as %q", s, got)
		}
		for _, x := range fs {
			if ValidateTagKey(x.Key) != nil || ValidateTagValue(x.Value) != nil || x.AnyValue && x.Value != "" {
				t.Fatalf("item %+v of %q", x, s)
			}
		}
		// Tags made from the filter's items satisfy it.
		var tags []Tag
		for _, x := range fs {
			if !hasKey(tags, x.Key) {
				tags = append(tags, Tag{Key: x.Key, Value: x.Value})
			}
		}
		if !MatchTags(tags, fs) {
			t.Fatalf("tags %v built from %q do not match it", tags, s)
		}
	})
}

func hasKey(tags []Tag, k string) bool {
	for _, t := range tags {
		if t.Key == k {
			return true
		}
	}
	return false
}

func FuzzValidateImageSave(f *testing.F) {
	for _, s := range [][3]string{
		{"pytorch1_4", "atelier-auto", "20221223"}, {"A", "1ns", "a b"}, {"-x", "ns/x", strings.Repeat("t", 65)},
		{"x.", "n", ""}, {"", "", ""}, {"ok", "Ns", "v1"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, name, ns, tag string) {
		r := CreateImageRequest{Name: name, Namespace: ns, Tag: tag}
		nerr, serr, terr := ValidateImageName(name), ValidateSWRNamespace(ns), ValidateImageTag(tag)
		fuzzFieldError(t, nerr, "name")
		fuzzFieldError(t, serr, "namespace")
		fuzzFieldError(t, terr, "tag")
		if nerr == nil && (name == "" || len(name) > 128 || name != strings.ToLower(name) ||
			strings.IndexFunc(name, func(r rune) bool { return !isLowerAlnum(r) && !strings.ContainsRune("-_.", r) }) >= 0 ||
			!isLowerAlnum(rune(name[0])) || !isLowerAlnum(rune(name[len(name)-1]))) {
			t.Fatalf("accepted name %q", name)
		}
		if serr == nil && (ns == "" || len(ns) > 64 || ns[0] < 'a' || ns[0] > 'z' || strings.ContainsAny(ns, "/: ")) {
			t.Fatalf("accepted namespace %q", ns)
		}
		if terr == nil && (len(tag) > 64 || strings.ContainsAny(tag, "/: ")) {
			t.Fatalf("accepted tag %q", tag)
		}
		// The request reports exactly the fields the per-field checks refuse.
		var want []string
		for _, p := range []struct {
			f   string
			err error
		}{{"name", nerr}, {"namespace", serr}, {"tag", terr}} {
			if p.err != nil {
				want = append(want, p.f)
			}
		}
		var got []string
		if err := r.Validate(); err != nil {
			for _, e := range err.(FieldErrors) {
				got = append(got, e.Field)
			}
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("request fields %v, per-field %v", got, want)
		}
	})
}
