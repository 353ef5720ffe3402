package model

import (
	"strings"
	"testing"
)

func TestValidateImageSaveFields(t *testing.T) {
	checkCases(t, []vcase{
		{"name sample", ValidateImageName("pytorch1_4"), "", ""},
		{"name dots", ValidateImageName("my.env-v2_1"), "", ""},
		{"name one char", ValidateImageName("a"), "", ""},
		{"name 128", ValidateImageName(strings.Repeat("n", 128)), "", ""},
		{"name 129", ValidateImageName(strings.Repeat("n", 129)), "name", "1–128 lowercase"},
		{"name empty", ValidateImageName(""), "name", "1–128 lowercase"},
		{"name upper", ValidateImageName("PyTorch"), "name", "1–128 lowercase"},
		{"name leading dash", ValidateImageName("-torch"), "name", "starting and ending with a letter or digit"},
		{"name trailing dot", ValidateImageName("torch."), "name", "starting and ending with a letter or digit"},
		{"name colon", ValidateImageName("torch:1"), "name", "1–128 lowercase"},
		{"namespace sample", ValidateSWRNamespace("atelier-auto"), "", ""},
		{"namespace mixed case inside", ValidateSWRNamespace("team.NLP_1"), "", ""},
		{"namespace 64", ValidateSWRNamespace("n" + strings.Repeat("N", 63)), "", ""},
		{"namespace 65", ValidateSWRNamespace(strings.Repeat("n", 65)), "namespace", "1–64 letters"},
		{"namespace empty", ValidateSWRNamespace(""), "namespace", "1–64 letters"},
		{"namespace digit first", ValidateSWRNamespace("1team"), "namespace", "starting with a lowercase letter"},
		{"namespace upper first", ValidateSWRNamespace("Team"), "namespace", "starting with a lowercase letter"},
		{"namespace slash", ValidateSWRNamespace("a/b"), "namespace", "1–64 letters"},
		{"tag sample", ValidateImageTag("20221223"), "", ""},
		{"tag empty", ValidateImageTag(""), "", ""},
		{"tag mixed", ValidateImageTag("V1.2-rc_3"), "", ""},
		{"tag 64", ValidateImageTag(strings.Repeat("t", 64)), "", ""},
		{"tag 65", ValidateImageTag(strings.Repeat("t", 65)), "tag", "0–64 letters"},
		{"tag colon", ValidateImageTag("1:2"), "tag", "0–64 letters"},
	})
}

func TestCreateImageRequestValidate(t *testing.T) {
	sample := CreateImageRequest{Name: "pytorch1_4", Namespace: "atelier-auto", Tag: "20221223", Description: "save from notebook-x21d", WorkspaceID: "0"}
	assertFields(t, sample.Validate())
	r := sample
	r.Description = strings.Repeat("d", 512)
	assertFields(t, r.Validate())
	r.Description += "d"
	assertFields(t, r.Validate(), "description")
	r = CreateImageRequest{Name: "Bad", Tag: "a b"}
	assertFields(t, r.Validate(), "name", "namespace", "tag")
	// Unlike a notebook description, an image description may hold & < > " ' /.
	r = sample
	r.Description = `from a/b & "c"`
	assertFields(t, r.Validate())
}
