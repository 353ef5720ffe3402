package sim

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"matui/model"
)

const (
	sec  = int64(1000)
	mins = 60 * sec
	hour = 60 * mins
	day  = 24 * hour
)

// nbSpec describes one demo notebook relative to now.
type nbSpec struct {
	name, desc, flavor, image, status string
	feature                           string
	age                               int64 // created this long ago
	since                             int64 // in the current status for this long
	left                              int64 // RUNNING: lease expires in this long (0: use lease as is)
	noLease                           bool  // auto-stop disabled
	idle                              bool
	other                             bool // owned by a colleague (only in /notebooks/all)
	pool                              bool
	affinity                          *model.Affinity
	failReason                        string
	volume                            string
	capacity                          int
	ssh                               bool
	tags                              []model.Tag
	mounts                            []seedMount // MOUNTED dynamic storage
}

// seedMount is a demo mount: category, mount path, URI.
type seedMount struct{ category, path, uri string }

func tags(kv ...string) []model.Tag {
	out := make([]model.Tag, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, model.Tag{Key: kv[i], Value: kv[i+1]})
	}
	return out
}

// seedDemo loads the hand-made demo set: every state a dashboard must
// render, lease deadlines 2–4 minutes away so countdowns visibly reach zero
// and instances stop, Gen 1 queues, a CodeLab instance, a colleague's
// instance, a CJK/emoji name and a long description.
func (st *state) seedDemo(now int64) {
	const (
		cpuImg    = "e1a07296-22a8-4f05-8bc8-e936c8e54090"
		torchImg  = "278e88d1-5b71-4766-8502-b3ba72e824d9"
		tfImg     = "5a8c5e2c-1f0b-4f7e-9d36-7c1b2a3e4f50"
		msImg     = "7f3e2d1c-0b9a-4887-a6b5-c4d3e2f1a0b9"
		torch910b = "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
	)
	long := strings.Repeat("A long description that keeps going, to test wrapping and truncation in the details view. ", 6)
	long = strings.TrimSpace(long[:500])
	w := 80
	aff := &model.Affinity{
		Required:  []model.AffinityRule{{Key: "kubernetes.io/hostname", Operator: model.OpIn, Values: []string{"192.168.0.11", "192.168.0.12"}}},
		Preferred: []model.AffinityRule{{Key: "accelerator", Operator: model.OpIn, Values: []string{"nvidia-t4"}, Weight: &w}},
	}
	specs := []nbSpec{
		{name: "train-resnet50", desc: "ResNet-50 baseline on ImageNet subset", flavor: "modelarts.vm.gpu.t4", image: torchImg, status: "RUNNING", age: 3 * hour, since: 57 * mins, left: 3 * mins, ssh: true,
			tags: tags("team", "cv", "project", "imagenet")},
		{name: "bert-finetune-910", desc: "BERT fine-tuning on Ascend", flavor: "modelarts.bm.d910.xlarge.1", image: msImg, status: "RUNNING", age: 5 * hour, since: 58 * mins, left: 2*mins + 10*sec,
			tags: tags("team", "nlp", "env", "dev")},
		{name: "data-prep", desc: "feature extraction", flavor: "modelarts.vm.cpu.8u", image: cpuImg, status: "RUNNING", age: 26 * hour, since: 56 * mins, left: 4 * mins, volume: "EVS", capacity: 20,
			tags: tags("team", "cv"), mounts: []seedMount{{"OBS", "/data/imagenet/", "obs://team-datasets/imagenet/"}}},
		{name: "llm-eval-910b", desc: "LLM evaluation on 910B", flavor: "modelarts.bm.d910b.xlarge.1", image: torch910b, status: "RUNNING", age: 2 * day, since: 3 * hour, left: 5 * hour,
			tags: tags("team", "nlp", "env", "prod"), mounts: []seedMount{{"OBSFS", "/data/corpus/", "obs://llm-corpus-pfs/"}, {"OBS", "/data/checkpoints/", "obs://team-models/llm/ckpt/"}}},
		{name: "tf-sandbox", desc: "TensorFlow playground", flavor: "modelarts.bm.gpu.v100NV32", image: tfImg, status: "RUNNING", age: 4 * day, since: 20 * mins, left: 40 * mins},
		{name: "always-on-cpu", desc: "auto-stop disabled", flavor: "modelarts.vm.cpu.2u", image: cpuImg, status: "RUNNING", age: 9 * day, since: 2 * day, noLease: true},
		{name: "idle-watch", desc: "stops when idle", flavor: "modelarts.vm.cpu.2u", image: cpuImg, status: "RUNNING", age: 3 * day, since: 5 * hour, idle: true, left: 2 * hour},
		{name: "实验-模型-🚀", desc: "名前 with CJK and emoji", flavor: "modelarts.vm.cpu.2u", image: cpuImg, status: "RUNNING", age: 30 * hour, since: 10 * mins, left: 50 * mins},
		{name: "archive-2023", desc: "old experiments", flavor: "modelarts.vm.cpu.2u", image: cpuImg, status: "STOPPED", age: 200 * day, since: 100 * day, volume: "EVS", capacity: 50},
		{name: "big-gpu-job", desc: "needs 8 GPUs (sold out)", flavor: "modelarts.bm.gpu.8v100NV32", image: torchImg, status: "STOPPED", age: 40 * day, since: 10 * day},
		{name: "long-description", desc: long, flavor: "modelarts.vm.cpu.8u", image: cpuImg, status: "STOPPED", age: 15 * day, since: 2 * day},
		{name: "new-experiment", desc: "just created", flavor: "modelarts.vm.gpu.t4", image: torchImg, status: "CREATING", age: 7 * sec, since: 7 * sec},
		{name: "restart-me", flavor: "modelarts.vm.cpu.2u", image: cpuImg, status: "STARTING", age: 6 * day, since: 2 * sec},
		{name: "winding-down", flavor: "modelarts.vm.cpu.8u", image: cpuImg, status: "STOPPING", age: 8 * day, since: 1 * sec},
		{name: "broken-create", flavor: "modelarts.bm.d910.xlarge.2", image: msImg, status: "CREATE_FAILED", age: 2 * hour, since: 2 * hour,
			failReason: "ModelArts.6360: Failed to prepare the compute resource: insufficient backend resources for flavor modelarts.bm.d910.xlarge.2."},
		{name: "broken-start", flavor: "modelarts.vm.gpu.t4", image: torchImg, status: "START_FAILED", age: 12 * day, since: 30 * mins,
			failReason: "ModelArts.6360: Failed to start the instance: insufficient backend resources."},
		{name: "pool-affinity", desc: "on the dedicated pool", flavor: "modelarts.vm.gpu.t4", image: torchImg, status: "STOPPED", age: 20 * day, since: 1 * day, pool: true, affinity: aff,
			tags: tags("team", "nlp", "cost-center", "ai-42")},
		{name: "pool-cpu", desc: "dedicated pool, no affinity", flavor: "modelarts.vm.cpu.8u", image: cpuImg, status: "RUNNING", age: 2 * day, since: 1 * hour, left: 1 * hour, pool: true,
			mounts: []seedMount{{"EFS", "/data/shared/", "7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f.sfsturbo.internal:/team"}}},
		{name: "notebook_5ee4bf0e", flavor: "modelarts.vm.cpu.free", image: cpuImg, status: "RUNNING", feature: "DEFAULT", age: 20 * mins, since: 19 * mins, left: 41 * mins, volume: "EFS", capacity: 50},
		{name: "li-wei-dataset-clean", desc: "a colleague's instance", flavor: "modelarts.vm.cpu.8u", image: cpuImg, status: "RUNNING", age: 1 * day, since: 2 * hour, left: 3 * hour, other: true,
			tags: tags("team", "data")},
	}
	for _, sp := range specs {
		st.addDemoNB(sp, now)
	}

	type devSpec struct {
		name, desc, flavor, profile, status string
		age, since, left                    int64
		autoStop                            bool
		queued                              int64 // queue ends in this long
		storage                             model.DevStorage
		fail                                bool
	}
	obs := func(p string) model.DevStorage {
		return model.DevStorage{Type: "obs", Location: &model.DevLocation{Path: p}}
	}
	evs := model.DevStorage{Type: "evs", Location: &model.DevLocation{Path: "/home/ma-user/work", VolumeSize: 5}}
	devs := []devSpec{
		{name: "notebook-d115", flavor: "modelarts.kat1.xlarge", profile: "efa847c0-7359-11eb-b34f-0255ac100057", status: "RUNNING", age: 2 * day, since: 57 * mins, left: 3 * mins, autoStop: true, storage: obs("/aaaaaaaaa/output/")},
		{name: "dev-gpu-v100", desc: "Gen 1 GPU box", flavor: "modelarts.bm.gpu.v100NV32", profile: "Multi-Engine 1.0 (python3)-gpu", status: "RUNNING", age: 6 * day, since: 20 * mins, left: 40 * mins, autoStop: true, storage: evs},
		{name: "dev-no-autostop", flavor: "modelarts.vm.cpu.8u", profile: "Multi-Engine 2.0 (python3)", status: "RUNNING", age: 30 * day, since: 3 * day, storage: obs("/team-bucket/dev/")},
		{name: "dev-cpu-old", desc: "legacy experiments", flavor: "modelarts.vm.cpu.2u", profile: "Multi-Engine 1.0 (python3)-cpu", status: "STOPPED", age: 300 * day, since: 90 * day, autoStop: true, storage: obs("/team-bucket/old/")},
		{name: "dev-creating", flavor: "modelarts.vm.cpu.2u", profile: "Multi-Engine 1.0 (python3)-cpu", status: "CREATING", age: 4 * sec, since: 4 * sec, autoStop: true, storage: evs},
		{name: "queued-free-gpu", flavor: "modelarts.vm.gpu.free", profile: "Multi-Engine 1.0 (python3)-gpu", status: "CREATE_QUEUING", age: 3 * mins, since: 3 * mins, queued: 2 * mins, autoStop: true, storage: evs},
		{name: "queued-free-gpu-2", flavor: "modelarts.vm.gpu.free", profile: "Multi-Engine 1.0 (python3)-gpu", status: "CREATE_QUEUING", age: 1 * mins, since: 1 * mins, queued: 4 * mins, autoStop: true, storage: evs},
		{name: "dev-start-failed", flavor: "modelarts.bm.gpu.v100NV32", profile: "Multi-Engine 1.0 (python3)-gpu", status: "START_FAILED", age: 10 * day, since: 1 * hour, autoStop: true, storage: evs, fail: true},
	}
	for _, sp := range devs {
		d := &dev{id: st.devID(), name: sp.name, desc: sp.desc, flavor: sp.flavor, profile: st.cat.resolveProfile(sp.profile),
			owner: st.me, storage: sp.storage, prompt: true, created: now - sp.age, token: randHex(st.rng, 32)}
		if sp.autoStop {
			d.autoStop, d.duration = true, 3600
		}
		d.setStatus(sp.status, now-sp.since)
		if sp.status == "RUNNING" && sp.autoStop {
			d.stopAt = now + sp.left
		}
		if sp.queued != 0 {
			d.queueBegin, d.queueEnd = now-sp.since, now+sp.queued
			st.queue = append(st.queue, d)
		}
		if sp.fail {
			d.failCode, d.failMsg = "ModelArts.6360", "Insufficient backend resources for flavor "+sp.flavor+"."
		}
		st.addDev(d)
		st.settleDev(d, now)
	}
	st.seedColleagues(now)
}

// seedColleagues adds colleagues' instances, which only an administrator's
// all-users listing shows (GET /notebooks/all, Gen 1 show_self=false).
// Their IDs come from a random stream of their own, so that adding them
// did not change the IDs of the user's demo instances.
func (st *state) seedColleagues(now int64) {
	const (
		cpuImg    = "e1a07296-22a8-4f05-8bc8-e936c8e54090"
		torchImg  = "278e88d1-5b71-4766-8502-b3ba72e824d9"
		torch910b = "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
	)
	ids := rand.New(rand.NewPCG(st.seed, 0x636f6c6c65616775)) // "colleagu"
	main := st.rng
	st.rng = ids
	defer func() { st.rng = main }()
	maria := &user{ID: randHex(ids, 32), Name: "maria.schmidt", DomainID: st.me.DomainID, DomainName: st.me.DomainName}
	for _, c := range []struct {
		owner *user
		spec  nbSpec
	}{
		{st.other, nbSpec{name: "li-wei-llm-finetune", desc: "LLM fine-tuning", flavor: "modelarts.bm.d910b.xlarge.1", image: torch910b,
			status: "RUNNING", age: 3 * day, since: 4 * hour, left: 6 * hour}},
		{maria, nbSpec{name: "maria-vision-t4", desc: "object detection", flavor: "modelarts.vm.gpu.t4", image: torchImg,
			status: "RUNNING", age: 6 * day, since: 30 * mins, left: 90 * mins}},
		{maria, nbSpec{name: "maria-archive", desc: "last quarter's experiments", flavor: "modelarts.vm.cpu.2u", image: cpuImg,
			status: "STOPPED", age: 60 * day, since: 20 * day}},
	} {
		nb := st.addDemoNB(c.spec, now)
		nb.owner = c.owner
	}
	d := &dev{id: st.devID(), name: "li-wei-legacy-gpu", desc: "a colleague's Gen 1 instance", flavor: "modelarts.bm.gpu.v100NV32",
		profile: st.cat.resolveProfile("Multi-Engine 1.0 (python3)-gpu"), owner: st.other, prompt: true, created: now - 50*day,
		storage: model.DevStorage{Type: "obs", Location: &model.DevLocation{Path: "/li-wei-bucket/dev/"}}, token: randHex(ids, 32),
		autoStop: true, duration: 3600}
	d.setStatus("STOPPED", now-7*day)
	st.addDev(d)
	st.settleDev(d, now)
}

func (st *state) addDemoNB(sp nbSpec, now int64) *notebook {
	created := now - sp.age
	nb := &notebook{
		id: st.uuid(), name: sp.name, desc: sp.desc, feature: sp.feature, flavor: sp.flavor, imageID: sp.image,
		owner: st.me, workspace: "0", createAt: created, token: st.uuid(), reqDuration: defaultLease, reqType: "TIMING",
		failReason: sp.failReason,
	}
	if nb.feature == "" {
		nb.feature = "NOTEBOOK"
	}
	if sp.other {
		nb.owner = st.other
	}
	vol, capacity := sp.volume, sp.capacity
	if vol == "" {
		vol, capacity = "EFS", 50
	}
	nb.volume = volume{category: vol, ownership: "MANAGED", capacity: capacity, mountPath: "/home/ma-user/work/"}
	if sp.pool {
		nb.poolID = st.cat.pool.ID
		if sp.affinity != nil {
			nb.affinity = *sp.affinity
		}
	}
	if sp.ssh {
		nb.endpoints = []model.EndpointsReq{{Service: "SSH", KeyPairNames: []string{"KeyPair-demo"}, AllowedAccessIPs: []string{"203.0.113.7"}}}
	}
	nb.tags = sp.tags
	for _, m := range sp.mounts {
		mt := &mount{id: st.auxUUID(), category: m.category, mountPath: m.path, uri: m.uri, status: model.MountMounted, since: now - sp.since + 30*sec}
		if m.category == model.StorageEFS {
			mt.efsID, _, _ = strings.Cut(m.uri, ".")
		}
		nb.mounts = append(nb.mounts, mt)
	}
	nb.lease = lease{createAt: created, duration: defaultLease, enable: true, typ: "TIMING", updateAt: created}
	if sp.feature == "DEFAULT" {
		nb.lease.typ = "" // seed 003: the CodeLab lease has no type
	}
	if sp.idle {
		nb.lease.typ, nb.reqType = "IDLE", "IDLE"
	}
	if sp.noLease {
		nb.lease.enable, nb.reqDuration = false, -1
	}
	nb.setStatus(sp.status, now-sp.since)
	if sp.status == "RUNNING" && sp.left != 0 {
		// Re-based as if it started running `since` ago with a lease that
		// ends `left` from now.
		nb.lease.duration = now + sp.left - created
		nb.lease.updateAt = now - sp.since
	}
	if sp.status == "CREATE_FAILED" {
		nb.failedStep = failStep
	}
	st.addNB(nb)
	st.settleNB(nb, now)
	return nb
}

// generate builds n synthetic instances (4/5 Gen 2) quickly: one pass, no
// per-instance sorting (creation times increase with the index, so the
// ordered slices are built by appending).
func (st *state) generate(now int64, n int) {
	gen2Flavors := []string{"modelarts.vm.cpu.2u", "modelarts.vm.cpu.8u", "modelarts.vm.gpu.t4", "modelarts.bm.gpu.v100NV32",
		"modelarts.bm.d910.xlarge.1", "modelarts.bm.d910b.xlarge.1"}
	gen2Images := []string{"e1a07296-22a8-4f05-8bc8-e936c8e54090", "e1a07296-22a8-4f05-8bc8-e936c8e54090", "278e88d1-5b71-4766-8502-b3ba72e824d9",
		"278e88d1-5b71-4766-8502-b3ba72e824d9", "7f3e2d1c-0b9a-4887-a6b5-c4d3e2f1a0b9", "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"}
	statuses := []string{"RUNNING", "RUNNING", "RUNNING", "STOPPED", "STOPPED", "STOPPED", "STOPPED", "CREATING", "STARTING", "STOPPING", "START_FAILED", "CREATE_FAILED"}
	n1 := n / 5
	n2 := n - n1
	st.nbs = make([]*notebook, 0, n2)
	// Three in four get a team tag, for the tag filter at scale. The tag
	// lists are shared: every change replaces a notebook's list (MergeTags,
	// a cloned delete), never writes into it.
	teams := [][]model.Tag{tags("team", "nlp"), tags("team", "cv"), tags("team", "data")}
	span := 90 * day
	for i := range n2 {
		k := st.rng.IntN(len(gen2Flavors))
		created := now - span + int64(i)*span/int64(n2+1)
		status := statuses[st.rng.IntN(len(statuses))]
		nb := &notebook{
			id: st.uuid(), name: fmt.Sprintf("nb-%06d", i), feature: "NOTEBOOK", flavor: gen2Flavors[k], imageID: gen2Images[k],
			owner: st.me, workspace: "0", createAt: created, token: st.uuid(), reqDuration: defaultLease, reqType: "TIMING",
			volume: volume{category: "EFS", ownership: "MANAGED", capacity: 50, mountPath: "/home/ma-user/work/"},
			lease:  lease{createAt: created, duration: defaultLease, enable: true, typ: "TIMING", updateAt: created},
		}
		since := min(now-created, int64(st.rng.IntN(int(2*sec))))
		if status == "RUNNING" || status == "STOPPED" {
			since = min(now-created, int64(st.rng.IntN(int(3*day))))
		}
		nb.setStatus(status, now-since)
		switch status {
		case "RUNNING":
			nb.lease.duration = now + int64(st.rng.IntN(int(12*hour))) + 30*sec - created
			nb.lease.updateAt = now - since
		case "START_FAILED", "CREATE_FAILED":
			nb.failReason = "ModelArts.6360: insufficient backend resources."
			nb.failedStep = failStep
		}
		if k := st.auxRng.IntN(4); k < len(teams) {
			nb.tags = teams[k]
		}
		st.seq++
		nb.seq = st.seq
		st.nbs = append(st.nbs, nb)
		st.nbByID[nb.id] = nb
		st.settleNB(nb, now)
	}
	gen1Flavors := []string{"modelarts.vm.cpu.2u", "modelarts.vm.cpu.8u", "modelarts.bm.gpu.v100NV32", "modelarts.kat1.xlarge"}
	gen1Profiles := []string{"Multi-Engine 1.0 (python3)-cpu", "Multi-Engine 2.0 (python3)", "Multi-Engine 1.0 (python3)-gpu", "Ascend-Powered-Engine 1.0 (python3)"}
	profiles := make([]*profile, len(gen1Profiles))
	for i, p := range gen1Profiles {
		profiles[i] = st.cat.resolveProfile(p)
	}
	d1 := []string{"RUNNING", "RUNNING", "STOPPED", "STOPPED", "STOPPED", "CREATING", "STARTING", "STOPPING"}
	st.devs = make([]*dev, 0, n1)
	for i := range n1 {
		k := st.rng.IntN(len(gen1Flavors))
		created := now - span + int64(i)*span/int64(n1+1)
		status := d1[st.rng.IntN(len(d1))]
		d := &dev{id: st.devID(), name: fmt.Sprintf("dev-%06d", i), flavor: gen1Flavors[k], profile: profiles[k], owner: st.me,
			storage: model.DevStorage{Type: "obs", Location: &model.DevLocation{Path: "/bucket/dev/"}}, prompt: true,
			created: created, autoStop: true, duration: 3600, token: randHex(st.rng, 32)}
		since := min(now-created, int64(st.rng.IntN(int(2*sec))))
		if status == "RUNNING" || status == "STOPPED" {
			since = min(now-created, int64(st.rng.IntN(int(3*day))))
		}
		d.setStatus(status, now-since)
		if status == "RUNNING" {
			d.stopAt = now + int64(st.rng.IntN(int(hour))) + 30*sec
		}
		st.seq++
		d.seq = st.seq
		st.devs = append(st.devs, d)
		st.devBy[d.id] = d
		st.settleDev(d, now)
	}
	st.rev++
	st.devRev++
}
