package model

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unique"

	"github.com/klauspost/compress/s2"
)

// Compact storage of what an instance was converted from.
//
// A listing keeps every instance of a project in memory for as long as the
// dashboard runs, and the details view, `matui get -o raw` and the edit
// forms want the API's own JSON of one of them at a time. Keeping the
// decoded wire struct (what FromNotebook is given) cost about 2 KB per
// instance (a Notebook alone is 1.3 KB of struct before its strings); the
// JSON as received is about 1.3 KB. Compressed with S2 against a dictionary
// of what these objects look like it is about 300 bytes, compressed in
// about 2 µs and expanded only when someone looks. The Decode* helpers (the
// client's listing path) store it so; FromNotebook / FromDevInstance, given
// a struct (one action's answer), keep the struct.

// compactJSON is an object's JSON as the API sent it (secrets included:
// redaction happens when it is shown, see Instance.RawJSON), S2-compressed
// against wireDict.
type compactJSON []byte

// Format prints a placeholder with every fmt verb: the bytes hold the
// instance's secrets (its token) in S2 literals, which %s or %x of an
// Instance would otherwise show.
func (c compactJSON) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, fmt.FormatString(f, verb), c.String())
}

// String is the placeholder Format prints.
func (c compactJSON) String() string {
	if len(c) == 0 {
		return ""
	}
	return fmt.Sprintf("[%d bytes of compressed JSON]", len(c))
}

// GoString keeps %#v from showing the bytes.
func (c compactJSON) GoString() string { return fmt.Sprintf("%q", c.String()) }

// wireDictText primes the compressor with the members and typical values of
// a Gen 2 NotebookResp and a Gen 1 instance (after the reference's samples,
// §2.1 and §3.0), so that even a 1 KB object compresses well on its own.
// What is most common goes last: S2 encodes near matches more cheaply.
const wireDictText = `{"id":"DE-7d558ef8-c73d-11ea-964c-0255ac100033","name":"notebook-c6fd","description":"","status":"RUNNING",` +
	`"creation_timestamp":"1594887749962","latest_update_timestamp":"1594888070775","flavor":"modelarts.bm.gpu.v100NV32",` +
	`"flavor_details":{"name":"modelarts.bm.gpu.v100NV32","status":"onSale","type":"GPU","storage_list":["obs","efs"],` +
	`"params":{"CPU":8,"GPU":1,"gpu_type":"v100NV32","memory":"64GiB"},"promo_type":"NoDiscount","is_permitted":true},` +
	`"profile":{"id":"efa847c0-7359-11eb-b34f-0255ac100057","name":"Multi-Engine 1.0 (python3)-gpu","description":"",` +
	`"de_type":"Notebook","flavor_type":"GPU","provision":{"type":"Docker","spec":{"engine":"CCE","params":{"namespace":"atelier",` +
	`"image_name":"mul-kernel-cpu","image_tag":"3.1.0"}}}},"spec":{"storage":{"type":"evs","location":{"path":"/home/ma-user/work",` +
	`"volume_size":5}},"auto_stop":{"duration":3600,"enable":true,"prompt":true,"remain_time":3336,"stop_timestamp":1594891408723},` +
	`"annotations":{"target_domain":"https://modelarts-notebook.","url":"https://"}},"workspace":{"id":"0"},` +
	`"ai_project":{"id":"default-ai-project"},"user":{"id":"f3779708b547462dbca12a70555d0690","name":"modelarts_manage_admin"},` +
	`"queuing_info":{"status":"CREATE_QUEUING","rank":1,"remain_time":120,"begin_timestamp":1594887749962,"end_timestamp":1594887869962},` +
	`"error_code":"ModelArts.6360","failed_reasons":{"code":"ModelArts.6360","message":"insufficient backend resources"}}` +
	`{"action_progress":[{"step":1,"status":"COMPLETED","description":"Prepare the storage."},` +
	`{"step":2,"status":"PROCESSING","description":"Prepare the compute resource."},` +
	`{"step":3,"status":"WAITING","description":"Configuring the network."},` +
	`{"step":4,"status":"WAITING","description":"Initialize the notebook instance."}],` +
	`"pool":{"id":"pool-7d3c0e5b","name":"pool-dedicated"},"affinity":{"required":[{"key":"kubernetes.io/hostname","operator":"In","values":["192.168.0.11"]}]},` +
	`"fail_reason":"ModelArts.6360: insufficient backend resources.","custom_spec":{"cpu":8,"memory":32768,"gpu":1,"gpu_type":"T4"},` +
	`"endpoints":[{"service":"SSH","dev_service":"SSH","uri":"192.168.0.20","key_pair_names":["KeyPair-"],"allowed_access_ips":[]}],` +
	`"status":"STOPPED","feature":"DEFAULT","flavor":"modelarts.vm.cpu.free","status":"CREATE_FAILED","status":"STARTING",` +
	`"image":{"id":"278e88d1-5b71-4766-8502-b3ba72e824d9","name":"pytorch1.8-cuda10.2-cudnn7-ubuntu18.04","type":"DEDICATED",` +
	`"swr_path":"swr.eu-de.otc.t-systems.com/atelier/mindspore1.7.0-cann5.1.0-py3.7-euler2.8.3:","tag":"v1","description":"GPU image"},` +
	`"flavor":"modelarts.bm.d910.xlarge.1","flavor":"modelarts.vm.gpu.t4","flavor":"modelarts.vm.cpu.8u",` +
	`{"id":"936bea3e-d3df-435e-8b58-d817283284ae","name":"notebooks_test","description":"","status":"RUNNING","feature":"NOTEBOOK",` +
	`"flavor":"modelarts.vm.cpu.2u","image":{"id":"e1a07296-22a8-4f05-8bc8-e936c8e54090","name":"notebook2.0-mul-kernel-cpu-cp36",` +
	`"swr_path":"swr.eu-de.otc.t-systems.com/atelier/notebook2.0-mul-kernel-cpu-cp36:3.3.2-release_v1","tag":"3.3.2-release_v1",` +
	`"type":"BUILD_IN","description":"Multi-kernel CPU image"},"lease":{"create_at":1687656452470,"duration":3600000,"enable":true,` +
	`"type":"TIMING","update_at":1687656479842},"endpoints":[{"service":"NOTEBOOK","dev_service":"NOTEBOOK",` +
	`"uri":"https://authoring-modelarts-eu-de.otc.t-systems.com/936bea3e-d3df-435e-8b58-d817283284ae/lab"}],` +
	`"url":"https://authoring-modelarts-eu-de.otc.t-systems.com/936bea3e-d3df-435e-8b58-d817283284ae/lab",` +
	`"token":"3452e0d5-15fe-a20d-18a2-010a574aeaaf","volume":{"category":"EFS","ownership":"MANAGED","capacity":50,` +
	`"mount_path":"/home/ma-user/work/","read_only":false},"data_volumes":[],"workspace_id":"0","billing_items":["COMPUTE","STORAGE"],` +
	`"user":{"id":"99250e43a885","name":"test","domain":{"id":"8789919dd9","name":"hwstaff_test"}},"user_id":"99250e43a885",` +
	`"tags":[],"create_at":1687656452472,"update_at":1687656479880}`

// wireDict is the S2 dictionary built from wireDictText. It is a constant
// in all but syntax: built once at package initialisation and never
// changed, so it is shared safely by every client in the process.
var wireDict = s2.MakeDict([]byte(wireDictText), nil)

// compactor compresses many objects with one scratch buffer; each result is
// copied to a slice of its exact size so that no slack is retained. Not
// safe for concurrent use: one per decoding call.
type compactor struct{ buf []byte }

// compact returns b compressed, behind a pointer: fmt prints a pointer
// inside a struct as an address, so no verb applied to an Instance (%s,
// %x of a struct print its byte slices as text or hex) can show the
// compressed bytes, whose literals include the instance's token.
func (c *compactor) compact(b []byte) *compactJSON {
	if n := s2.MaxEncodedLen(len(b)); cap(c.buf) < n {
		c.buf = make([]byte, n)
	}
	out := compactJSON(bytes.Clone(wireDict.Encode(c.buf[:cap(c.buf)], b)))
	return &out
}

// expand returns the original bytes, or nil if c is nil, empty or corrupt.
func (c *compactJSON) expand() []byte {
	if c == nil || len(*c) == 0 {
		return nil
	}
	b, err := wireDict.Decode(nil, *c)
	if err != nil {
		return nil
	}
	return b
}

// decodeWire unmarshals the compact JSON into v; false when there is none.
func (c *compactJSON) decodeWire(v any) bool {
	b := c.expand()
	return b != nil && json.Unmarshal(b, v) == nil
}

// intern returns the process-wide canonical copy of s. The columns a
// listing repeats across thousands of instances (status, flavor, image,
// owner, pool, storage path, …) then cost one string each instead of one
// per instance. unique's table is weak: strings no instance uses any more
// are collected.
func intern(s string) string {
	if s == "" {
		return ""
	}
	return unique.Make(s).Value()
}

// share interns the strings a listing repeats across instances and makes
// the NOTEBOOK endpoint's URI the same string as URL (the API sends the
// URL twice). Called at the end of every conversion.
func (in *Instance) share() {
	in.Status, in.Feature, in.Flavor = intern(in.Status), intern(in.Feature), intern(in.Flavor)
	in.Image, in.ImageID, in.Owner, in.Pool = intern(in.Image), intern(in.ImageID), intern(in.Owner), intern(in.Pool)
	in.FailReason, in.Description = intern(in.FailReason), intern(in.Description)
	in.Spec.Type, in.Spec.Arch = intern(in.Spec.Type), intern(in.Spec.Arch)
	in.Storage.Kind, in.Storage.Path, in.Storage.Status = intern(in.Storage.Kind), intern(in.Storage.Path), intern(in.Storage.Status)
	in.AutoStop.Type = intern(in.AutoStop.Type)
	for i := range in.Endpoints {
		e := &in.Endpoints[i]
		e.Service = intern(e.Service)
		if e.URI == in.URL {
			e.URI = in.URL
		}
	}
}
