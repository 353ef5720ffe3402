package model

import "testing"

func TestParseErrorBodySamples(t *testing.T) {
	cases := []struct {
		file string
		want ErrorBody
	}{
		{"gen1_get_error_6309.json", ErrorBody{Code: "ModelArts.6309", Message: "The instance does not exist."}},
		{"gen1_modify_error_6309.json", ErrorBody{Code: "ModelArts.6309", Message: "The instance does not exist."}},
		{"gen1_create_error_6318.json", ErrorBody{Code: "ModelArts.6318", Message: "The param path needs to end with /."}},
		{"gen2_error_6404.json", ErrorBody{Code: "ModelArts.6404", Message: "Notebook not found"}},
		{"apig_error_0301.json", ErrorBody{Code: "APIG.0301", Message: "Incorrect IAM authentication information: verify aksk signature fail", RequestID: "c0ffee00c0ffee00c0ffee00c0ffee00"}},
	}
	for _, c := range cases {
		got, ok := ParseErrorBody(sample(t, c.file))
		if !ok || got != c.want {
			t.Errorf("%s: got %+v, %v; want %+v", c.file, got, ok, c.want)
		}
	}
}

func TestParseErrorBodyShapes(t *testing.T) {
	cases := []struct {
		in   string
		want ErrorBody
		ok   bool
	}{
		{`{"code":"ModelArts.0201","message":"token missing"}`, ErrorBody{Code: "ModelArts.0201", Message: "token missing"}, true},
		{`{"error":{"code":"ModelArts.6357","message":"busy"}}`, ErrorBody{Code: "ModelArts.6357", Message: "busy"}, true},
		{`{"request_id":"r1","error":{"error_code":"APIGW.0301","error_msg":"x-auth-token not found"}}`,
			ErrorBody{Code: "APIGW.0301", Message: "x-auth-token not found", RequestID: "r1"}, true},
		{`{"Error_Code":"ModelArts.0101","Error_Msg":"bad"}`, ErrorBody{Code: "ModelArts.0101", Message: "bad"}, true},
		{`{"error_code":400,"error_msg":"numeric code"}`, ErrorBody{Code: "400", Message: "numeric code"}, true},
		{`{"error_code":"ModelArts.0010"}`, ErrorBody{Code: "ModelArts.0010"}, true},
		{`{"error":"unauthorized"}`, ErrorBody{Code: "unauthorized"}, true},
		// Top level wins over nested; nested fills only what is missing.
		{`{"error_code":"A","detail":{"code":"B","message":"from nested"}}`, ErrorBody{Code: "A", Message: "from nested"}, true},
		// Not error bodies.
		{`{"error_code":"","id":"DE-1"}`, ErrorBody{}, false},
		{`{"id":"x","status":"RUNNING"}`, ErrorBody{}, false},
		{`[{"error_code":"X"}]`, ErrorBody{}, false},
		{`<html>502 Bad Gateway</html>`, ErrorBody{}, false},
		{``, ErrorBody{}, false},
		{`null`, ErrorBody{}, false},
		{`{"error_code":{"nested":true},"error_msg":null}`, ErrorBody{}, false},
		{`{"error_code":"X"`, ErrorBody{}, false},
	}
	for _, c := range cases {
		got, ok := ParseErrorBody([]byte(c.in))
		if ok != c.ok || got != c.want {
			t.Errorf("%s: got %+v, %v; want %+v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestErrorBodyString(t *testing.T) {
	if s := (ErrorBody{Code: "ModelArts.6309", Message: "gone"}).String(); s != "ModelArts.6309: gone" {
		t.Error(s)
	}
	if s := (ErrorBody{Message: "gone"}).String(); s != "gone" {
		t.Error(s)
	}
}
