package model

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestValidateTagKeyAndValue(t *testing.T) {
	checkCases(t, []vcase{
		{"key simple", ValidateTagKey("team"), "", ""},
		{"key specials", ValidateTagKey("cost_center.eu:de=1+2-3@x"), "", ""},
		{"key inner space", ValidateTagKey("cost center"), "", ""},
		{"key CJK", ValidateTagKey("项目"), "", ""},
		{"key 128", ValidateTagKey(strings.Repeat("k", 128)), "", ""},
		{"key 128 runes", ValidateTagKey(strings.Repeat("键", 128)), "", ""},
		{"key 129", ValidateTagKey(strings.Repeat("k", 129)), "key", "1–128 characters"},
		{"key empty", ValidateTagKey(""), "key", "1–128 characters"},
		{"key leading space", ValidateTagKey(" team"), "key", "no leading or trailing space"},
		{"key trailing space", ValidateTagKey("team "), "key", "no leading or trailing space"},
		{"key reserved", ValidateTagKey("_sys_owner"), "key", "not starting with _sys_"},
		{"key sys inside", ValidateTagKey("my_sys_owner"), "", ""},
		{"key slash", ValidateTagKey("a/b"), "key", "_ . : = + - @"},
		{"key comma", ValidateTagKey("a,b"), "key", "_ . : = + - @"},
		{"key bar", ValidateTagKey("a|b"), "key", "_ . : = + - @"},
		{"key tab", ValidateTagKey("a\tb"), "key", "_ . : = + - @"},
		{"key invalid UTF-8", ValidateTagKey("a\xffb"), "key", "1–128 characters"},
		{"value empty", ValidateTagValue(""), "", ""},
		{"value slash", ValidateTagValue("eu-de/prod"), "", ""},
		{"value spaces anywhere", ValidateTagValue(" a b "), "", ""},
		{"value 255", ValidateTagValue(strings.Repeat("v", 255)), "", ""},
		{"value 256", ValidateTagValue(strings.Repeat("v", 256)), "value", "0–255 characters"},
		{"value comma", ValidateTagValue("a,b"), "value", "_ . : / = + - @"},
		{"value bar", ValidateTagValue("a|b"), "value", "_ . : / = + - @"},
		{"value quote", ValidateTagValue(`a"b`), "value", "_ . : / = + - @"},
	})
}

func TestTagsRequestValidate(t *testing.T) {
	many := func(n int) []Tag {
		ts := make([]Tag, n)
		for i := range ts {
			ts[i] = Tag{Key: fmt.Sprintf("k%d", i), Value: "v"}
		}
		return ts
	}
	for _, c := range []struct {
		name   string
		tags   []Tag
		fields []string
	}{
		{"one", []Tag{{Key: "team", Value: "nlp"}}, nil},
		{"empty value", []Tag{{Key: "team"}}, nil},
		{"20", many(20), nil},
		{"21", many(21), []string{"tags"}},
		{"none", nil, []string{"tags"}},
		{"duplicate key", []Tag{{Key: "team", Value: "a"}, {Key: "team", Value: "b"}}, []string{"tags[1].key"}},
		{"bad key and value", []Tag{{Key: "_sys_x", Value: "a|b"}}, []string{"tags[0].key", "tags[0].value"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := TagsRequest{Tags: c.tags}
			assertFields(t, r.Validate(), c.fields...)
		})
	}
}

func TestMergeTagsOverwritesByKey(t *testing.T) {
	cur := []Tag{{Key: "team", Value: "nlp"}, {Key: "env", Value: "dev"}}
	got := MergeTags(cur, []Tag{{Key: "env", Value: "prod"}, {Key: "owner", Value: "li"}})
	want := []Tag{{Key: "team", Value: "nlp"}, {Key: "env", Value: "prod"}, {Key: "owner", Value: "li"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("MergeTags = %v, want %v", got, want)
	}
	if cur[1].Value != "dev" {
		t.Fatal("MergeTags modified its input")
	}
}

func TestParseTagFilter(t *testing.T) {
	got, err := ParseTagFilter("tag_key1|tag_value1,tag_key2|tag_value2") // the SDK's example
	want := []TagFilter{{Key: "tag_key1", Value: "tag_value1"}, {Key: "tag_key2", Value: "tag_value2"}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("SDK example: %v %v", got, err)
	}
	got, err = ParseTagFilter("team,env|,项目|视觉 v2/x")
	want = []TagFilter{{Key: "team", AnyValue: true}, {Key: "env"}, {Key: "项目", Value: "视觉 v2/x"}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("key only, empty value, CJK: %v %v", got, err)
	}
	if FormatTagFilter(got) != "team,env|,项目|视觉 v2/x" {
		t.Errorf("FormatTagFilter = %q", FormatTagFilter(got))
	}
	if fs, err := ParseTagFilter(""); fs != nil || err != nil {
		t.Errorf("empty filter: %v %v", fs, err)
	}
	for _, bad := range []string{",team", "|team", "team,", "a,,b", "a||b", "a,|b", "a|b|c", "_sys_x", "a/b|c", " a|b"} {
		_, err := ParseTagFilter(bad)
		var fe *FieldError
		if err == nil || !errors.As(err, &fe) || !strings.HasPrefix(fe.Field, "tags") || fe.Allowed == "" {
			t.Errorf("ParseTagFilter(%q) = %v, want a FieldError on tags", bad, err)
		}
	}
}

func TestMatchTags(t *testing.T) {
	tags := []Tag{{Key: "team", Value: "nlp"}, {Key: "env", Value: "prod"}, {Key: "note", Value: ""}}
	for _, c := range []struct {
		filter string
		want   bool
	}{
		{"", true},
		{"team", true},
		{"team|nlp", true},
		{"team|cv", false},
		{"team|cv,team|nlp", true},  // alternatives of one key
		{"team|nlp,env|prod", true}, // different keys: all must match
		{"team|nlp,env|dev", false}, // …
		{"team|cv,env|prod,team|nlp", true},
		{"owner", false},
		{"note|", true},
		{"note|x", false},
		{"Team", false}, // keys are case-sensitive
	} {
		fs, err := ParseTagFilter(c.filter)
		if err != nil {
			t.Fatal(err)
		}
		if got := MatchTags(tags, fs); got != c.want {
			t.Errorf("MatchTags(%q) = %v, want %v", c.filter, got, c.want)
		}
	}
}

func TestTagSummaryDecodes(t *testing.T) {
	var s TagSummary
	if err := json.Unmarshal([]byte(`{"tags":[{"key":"k","values":["v1","v2"]},{"key":"x","values":"odd"}]}`), &s); err != nil {
		t.Fatal(err)
	}
	if len(s.Tags) != 2 || s.Tags[0].Key != "k" || len(s.Tags[0].Values) != 2 || s.Tags[1].Key != "x" {
		t.Fatalf("decoded %+v", s)
	}
}
