package sim

import (
	"maps"
	"slices"
	"strings"
)

// The catalog (flavors, images, Gen 1 profiles, the dedicated pool) is fixed
// and identical for every seed: it is what a region offers, not user data.
// It is built per Server (no package-level mutable state), and never
// mutated after construction, so handlers read it without the lock.

const kib = 1024 * 1024 // KiB per GiB: flavor memory is reported in KiB

// flavor is one compute flavor. Gen 2 lists it through /notebooks/flavors;
// Gen 1 embeds it as flavor_details.
type flavor struct {
	ID          string
	Name        string
	Description string
	Arch        string // x86_64 / aarch64 (lowercase, as SDK 0.1.207)
	Category    string // CPU / GPU / ASCEND
	Feature     string // NOTEBOOK / DEFAULT (CodeLab)
	Free        bool
	SoldOut     bool
	VCPUs       int
	MemoryKiB   int64
	GPU         *gpuInfo
	Ascend      *ascendInfo
	BillingCode string
	UnitNum     int
	Storages    []string // Gen 2 volume categories
	FlavorType  string   // ASCEND_SNT9 / ASCEND_SNT9B for Ascend flavors
	Dedicated   bool     // also offered on the dedicated pool (type=DEDICATED)

	Gen1, Gen2 bool
	// Gen 1 flavor_details.
	Gen1Type    string         // CPU / GPU / Ascend (the samples' spelling)
	Gen1Params  map[string]any // free-form params (reference §8.3)
	Gen1Storage []string       // lowercase storage types
	// QueueSlotMs is how long each queued Gen 1 instance of a free,
	// sold-out flavor waits for the one ahead of it.
	QueueSlotMs int64
}

type gpuInfo struct {
	GPU       int    `json:"gpu"`
	GPUMemory string `json:"gpu_memory"`
	Type      string `json:"type"`
}

type ascendInfo struct {
	NPU       int    `json:"npu"`
	NPUMemory string `json:"npu_memory"`
	Type      string `json:"type"`
	Chip      int    `json:"chip"`
}

// image is one entry of GET /images.
type image struct {
	ID                 string
	Name               string
	Namespace          string
	Tag                string
	Description        string
	Arch               string
	Type               string // BUILD_IN / DEDICATED
	Origin             string // CUSTOMIZE / IMAGE_SAVE
	ServiceType        string
	DevServices        []string
	ResourceCategories []string
	SizeKB             int64
	Visibility         string
	FlavorType         string
	CreateAt, UpdateAt int64
	WorkspaceID        string // "" for the catalog's ("0")

	// Images saved from a notebook (images.go) change status over time;
	// catalog images leave these zero and are always ACTIVE.
	saved         bool
	status        string // "" (INIT, then CREATING) until the save ends: ACTIVE or CREATE_FAILED
	statusMessage string
	willFail      bool // the save ends in CREATE_FAILED (fault injection)
}

func (im *image) swrPath() string {
	return "swr.eu-de.otc.t-systems.com/" + im.Namespace + "/" + im.Name + ":" + im.Tag
}

func (im *image) supports(f *flavor) bool {
	return im.Arch == f.Arch && slices.Contains(im.ResourceCategories, f.Category)
}

// profile is a Gen 1 engine profile (reference §2.3, seed 001).
type profile struct {
	ID          string
	Name        string
	Description string
	FlavorTypes []string // Gen 1 flavor types the engine runs on
	ImageName   string
	ImageTag    string
	// Aliases are other spellings clients send as profile_id. Seed 001
	// sends "Ascend-Power-Engine 1.0(python3)" for the profile the response
	// calls "Ascend-Powered-Engine 1.0 (python3)"; the seed's request must
	// succeed, so the spelling is accepted here.
	Aliases []string
}

// Node is one node of the dedicated pool.
type Node struct {
	Name      string
	VCPUs     int
	MemoryMiB int
	GPUs      int
	GPUType   string
	Labels    map[string]string
}

// Pool is the simulator's dedicated resource pool.
type Pool struct {
	ID    string
	Name  string
	Nodes []Node
}

type catalog struct {
	flavors   []*flavor // in list order
	flavorsBy map[string]*flavor
	images    []*image
	imagesBy  map[string]*image
	profiles  []*profile
	pool      Pool       // the primary dedicated pool (Server.Pool)
	clusters  []*cluster // every pool, the primary one first (pools.go)
	// defaultCodeLabImage is the multi-kernel CPU image CodeLab opens
	// when no image_id is given (seed 003).
	defaultCodeLabImage string
}

func gib(n int64) int64 { return n * kib }

func newCatalog(createdAt int64) *catalog {
	obs2 := []string{"EVS", "OBSFS", "EFS", "OBS"}
	c := &catalog{defaultCodeLabImage: "e1a07296-22a8-4f05-8bc8-e936c8e54090"}
	c.flavors = []*flavor{
		{ID: "modelarts.vm.cpu.2u", Name: "CPU: 2 vCPUs 8 GB", Description: "General-purpose Intel CPU flavor, ideal for rapid data exploration and experiments.",
			Arch: "x86_64", Category: "CPU", Feature: "NOTEBOOK", VCPUs: 2, MemoryKiB: gib(8), BillingCode: "modelarts.vm.cpu.2u", UnitNum: 1,
			Storages: obs2, Dedicated: true, Gen1: true, Gen2: true, Gen1Type: "CPU", Gen1Params: map[string]any{"CPU": 2, "memory": "8GiB"}, Gen1Storage: []string{"obs", "evs"}},
		{ID: "modelarts.vm.cpu.8u", Name: "CPU: 8 vCPUs 32 GB", Description: "General-purpose Intel CPU flavor for heavier preprocessing.",
			Arch: "x86_64", Category: "CPU", Feature: "NOTEBOOK", VCPUs: 8, MemoryKiB: gib(32), BillingCode: "modelarts.vm.cpu.8u", UnitNum: 1,
			Storages: obs2, Dedicated: true, Gen1: true, Gen2: true, Gen1Type: "CPU", Gen1Params: map[string]any{"CPU": 8, "memory": "32GiB"}, Gen1Storage: []string{"obs", "evs"}},
		{ID: "modelarts.vm.cpu.free", Name: "CPU: 1 vCPUs 4 GB (free)", Description: "Free CodeLab flavor; one instance per user.",
			Arch: "x86_64", Category: "CPU", Feature: "DEFAULT", Free: true, VCPUs: 1, MemoryKiB: gib(4), BillingCode: "modelarts.vm.cpu.free", UnitNum: 1,
			Storages: []string{"EFS"}, Gen1: true, Gen2: true, Gen1Type: "CPU", Gen1Params: map[string]any{"CPU": 1, "memory": "4GiB"}, Gen1Storage: []string{"obs", "evs"}},
		{ID: "modelarts.vm.gpu.t4", Name: "GPU: 1*T4(16GB) | CPU: 8 vCPUs 32 GB", Description: "Entry-level NVIDIA T4 GPU flavor for inference and small trainings.",
			Arch: "x86_64", Category: "GPU", Feature: "NOTEBOOK", VCPUs: 8, MemoryKiB: gib(32), GPU: &gpuInfo{1, "16GB", "T4"}, BillingCode: "modelarts.vm.gpu.t4", UnitNum: 1,
			Storages: obs2, Dedicated: true, Gen2: true},
		{ID: "modelarts.bm.gpu.v100NV32", Name: "GPU: 1*V100NV32(32GB) | CPU: 8 vCPUs 64 GB", Description: "NVIDIA V100 32 GB GPU flavor.",
			Arch: "x86_64", Category: "GPU", Feature: "NOTEBOOK", VCPUs: 8, MemoryKiB: gib(64), GPU: &gpuInfo{1, "32GB", "V100"}, BillingCode: "modelarts.bm.gpu.v100NV32", UnitNum: 1,
			Storages: obs2, Gen1: true, Gen2: true, Gen1Type: "GPU", Gen1Params: map[string]any{"CPU": 8, "GPU": 1, "gpu_type": "v100NV32", "memory": "64GiB"}, Gen1Storage: []string{"obs", "evs"}},
		{ID: "modelarts.bm.gpu.8v100NV32", Name: "GPU: 8*V100NV32(32GB) | CPU: 64 vCPUs 512 GB", Description: "Eight NVIDIA V100 32 GB GPUs for distributed training.",
			Arch: "x86_64", Category: "GPU", Feature: "NOTEBOOK", SoldOut: true, VCPUs: 64, MemoryKiB: gib(512), GPU: &gpuInfo{8, "32GB", "V100"}, BillingCode: "modelarts.bm.gpu.8v100NV32", UnitNum: 8,
			Storages: obs2, Gen2: true},
		{ID: "modelarts.vm.gpu.free", Name: "GPU: 1*P4(8GB) | CPU: 4 vCPUs 16 GB (free)", Description: "Free GPU flavor, time-limited; queue when sold out.",
			Arch: "x86_64", Category: "GPU", Feature: "NOTEBOOK", Free: true, SoldOut: true, VCPUs: 4, MemoryKiB: gib(16), GPU: &gpuInfo{1, "8GB", "P4"}, BillingCode: "modelarts.vm.gpu.free", UnitNum: 1,
			Storages: []string{"EFS"}, Gen1: true, Gen2: true, Gen1Type: "GPU", Gen1Params: map[string]any{"CPU": 4, "GPU": 1, "gpu_type": "p4", "memory": "16GiB"}, Gen1Storage: []string{"obs", "evs"},
			QueueSlotMs: 2 * 60_000},
		{ID: "modelarts.vm.gpu.p100", Name: "GPU: 1*P100(16GB) | CPU: 8 vCPUs 64 GB", Description: "NVIDIA P100 (DevEnviron only).",
			Arch: "x86_64", Category: "GPU", Feature: "NOTEBOOK", SoldOut: true, VCPUs: 8, MemoryKiB: gib(64), GPU: &gpuInfo{1, "16GB", "P100"}, BillingCode: "modelarts.vm.gpu.p100", UnitNum: 1,
			Gen1: true, Gen1Type: "GPU", Gen1Params: map[string]any{"CPU": 8, "GPU": 1, "gpu_type": "p100", "memory": "64GiB"}, Gen1Storage: []string{"obs", "evs"}},
		// Gen 1 Ascend flavor of the seeds (000, 001) and the reference's
		// samples, with their exact params.
		{ID: "modelarts.kat1.xlarge", Name: "Ascend: 1*Ascend 910(32GB) | ARM: 24 vCPUs 96 GB", Description: "Ascend 910 (DevEnviron).",
			Arch: "aarch64", Category: "ASCEND", Feature: "NOTEBOOK", VCPUs: 24, MemoryKiB: gib(96), Ascend: &ascendInfo{1, "32GB", "Ascend 910", 1}, BillingCode: "modelarts.kat1.xlarge", UnitNum: 1,
			Gen1: true, Gen1Type: "Ascend", Gen1Params: map[string]any{"CPU": 24, "NPU": 1, "graphics_memory": "32GiB", "memory": "96GiB", "type": "Ascend 910"}, Gen1Storage: []string{"obs", "efs"}},
		{ID: "modelarts.bm.d910.xlarge.1", Name: "Ascend: 1*Ascend 910(32GB) | ARM: 24 vCPUs 96 GB", Description: "Ascend 910 with one NPU.",
			Arch: "aarch64", Category: "ASCEND", Feature: "NOTEBOOK", VCPUs: 24, MemoryKiB: gib(96), Ascend: &ascendInfo{1, "32GB", "Ascend 910", 1}, BillingCode: "modelarts.kat1.xlarge", UnitNum: 1,
			Storages: []string{"EFS", "EVS"}, FlavorType: "ASCEND_SNT9", Gen2: true},
		{ID: "modelarts.bm.d910.xlarge.2", Name: "Ascend: 2*Ascend 910(32GB) | ARM: 48 vCPUs 192 GB", Description: "Ascend 910 with two NPUs.",
			Arch: "aarch64", Category: "ASCEND", Feature: "NOTEBOOK", VCPUs: 48, MemoryKiB: gib(192), Ascend: &ascendInfo{2, "32GB", "Ascend 910", 2}, BillingCode: "modelarts.kat1.2xlarge", UnitNum: 2,
			Storages: []string{"EFS", "EVS"}, FlavorType: "ASCEND_SNT9", Gen2: true},
		{ID: "modelarts.bm.d910.xlarge.8", Name: "Ascend: 8*Ascend 910(32GB) | ARM: 192 vCPUs 1536 GB", Description: "A full Ascend 910 server.",
			Arch: "aarch64", Category: "ASCEND", Feature: "NOTEBOOK", VCPUs: 192, MemoryKiB: gib(1536), Ascend: &ascendInfo{8, "32GB", "Ascend 910", 8}, BillingCode: "modelarts.kat1.8xlarge", UnitNum: 8,
			Storages: []string{"EFS", "EVS"}, FlavorType: "ASCEND_SNT9", Gen2: true},
		{ID: "modelarts.bm.d910b.xlarge.1", Name: "Ascend: 1*Ascend 910B(64GB) | ARM: 24 vCPUs 192 GB", Description: "Ascend 910B (Snt9B) with one NPU.",
			Arch: "aarch64", Category: "ASCEND", Feature: "NOTEBOOK", VCPUs: 24, MemoryKiB: gib(192), Ascend: &ascendInfo{1, "64GB", "Ascend 910B", 1}, BillingCode: "modelarts.snt9b.xlarge", UnitNum: 1,
			Storages: []string{"EFS", "EVS"}, FlavorType: "ASCEND_SNT9B", Gen2: true},
		{ID: "modelarts.bm.d910b.xlarge.4", Name: "Ascend: 4*Ascend 910B(64GB) | ARM: 96 vCPUs 768 GB", Description: "Ascend 910B (Snt9B) with four NPUs.",
			Arch: "aarch64", Category: "ASCEND", Feature: "NOTEBOOK", VCPUs: 96, MemoryKiB: gib(768), Ascend: &ascendInfo{4, "64GB", "Ascend 910B", 4}, BillingCode: "modelarts.snt9b.4xlarge", UnitNum: 4,
			Storages: []string{"EFS", "EVS"}, FlavorType: "ASCEND_SNT9B", Gen2: true},
		{ID: "modelarts.bm.d910b.xlarge.8", Name: "Ascend: 8*Ascend 910B(64GB) | ARM: 192 vCPUs 1536 GB", Description: "A full Ascend 910B (Snt9B) server.",
			Arch: "aarch64", Category: "ASCEND", Feature: "NOTEBOOK", SoldOut: true, VCPUs: 192, MemoryKiB: gib(1536), Ascend: &ascendInfo{8, "64GB", "Ascend 910B", 8}, BillingCode: "modelarts.snt9b.8xlarge", UnitNum: 8,
			Storages: []string{"EFS", "EVS"}, FlavorType: "ASCEND_SNT9B", Gen2: true},
	}
	c.flavorsBy = make(map[string]*flavor, len(c.flavors))
	for _, f := range c.flavors {
		c.flavorsBy[f.ID] = f
	}

	day := int64(24 * 3600 * 1000)
	t0 := createdAt - 400*day
	both := []string{"NOTEBOOK", "SSH"}
	c.images = []*image{
		{ID: "e1a07296-22a8-4f05-8bc8-e936c8e54090", Name: "notebook2.0-mul-kernel-cpu-cp36", Namespace: "atelier", Tag: "3.3.2-release_v1",
			Description: "Multi-kernel CPU image (default for CodeLab)", Arch: "x86_64", Type: "BUILD_IN", Origin: "CUSTOMIZE", ServiceType: "COMMON",
			DevServices: both, ResourceCategories: []string{"CPU"}, SizeKB: 3_145_728, Visibility: "PUBLIC", CreateAt: t0, UpdateAt: t0 + day},
		{ID: "278e88d1-5b71-4766-8502-b3ba72e824d9", Name: "pytorch1.8-cuda10.2-cudnn7-ubuntu18.04", Namespace: "atelier", Tag: "pytorch_1.8.0-cuda_10.2-py_3.7-ubuntu_18.04-x86_64-20220926104358-041ba2e",
			Description: "PyTorch 1.8 with CUDA 10.2", Arch: "x86_64", Type: "BUILD_IN", Origin: "CUSTOMIZE", ServiceType: "COMMON",
			DevServices: both, ResourceCategories: []string{"GPU", "CPU"}, SizeKB: 9_437_184, Visibility: "PUBLIC", CreateAt: t0 + 2*day, UpdateAt: t0 + 3*day},
		{ID: "5a8c5e2c-1f0b-4f7e-9d36-7c1b2a3e4f50", Name: "tensorflow2.1-cuda10.1-cudnn7-ubuntu18.04", Namespace: "atelier", Tag: "tensorflow_2.1.0-cuda_10.1-py_3.7-ubuntu_18.04-x86_64-20221121111529-d65d817",
			Description: "TensorFlow 2.1 with CUDA 10.1", Arch: "x86_64", Type: "BUILD_IN", Origin: "CUSTOMIZE", ServiceType: "COMMON",
			DevServices: both, ResourceCategories: []string{"GPU", "CPU"}, SizeKB: 8_912_896, Visibility: "PUBLIC", CreateAt: t0 + 4*day, UpdateAt: t0 + 4*day},
		{ID: "0d6a1c4e-8b2f-4c3a-a5d7-e9f1b3c5d7e9", Name: "conda3-cuda11.8-cudnn8-ubuntu22.04", Namespace: "atelier", Tag: "1.0.0-release",
			Description: "Conda with CUDA 11.8, bring your own framework", Arch: "x86_64", Type: "BUILD_IN", Origin: "CUSTOMIZE", ServiceType: "DEV",
			DevServices: both, ResourceCategories: []string{"GPU"}, SizeKB: 7_340_032, Visibility: "PUBLIC", CreateAt: t0 + 30*day, UpdateAt: t0 + 31*day},
		{ID: "7f3e2d1c-0b9a-4887-a6b5-c4d3e2f1a0b9", Name: "mindspore1.7.0-cann5.1.0-py3.7-euler2.8.3", Namespace: "atelier", Tag: "22.11.0-release",
			Description: "MindSpore 1.7 on CANN 5.1 for Ascend 910", Arch: "aarch64", Type: "BUILD_IN", Origin: "CUSTOMIZE", ServiceType: "COMMON",
			DevServices: both, ResourceCategories: []string{"ASCEND"}, SizeKB: 10_485_760, Visibility: "PUBLIC", FlavorType: "ASCEND_SNT9", CreateAt: t0 + 60*day, UpdateAt: t0 + 60*day},
		{ID: "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", Name: "pytorch2.1.0-cann7.0.0-py3.9-euler2.10.7", Namespace: "atelier", Tag: "24.1.0-release",
			Description: "PyTorch 2.1 on CANN 7.0 for Ascend 910B", Arch: "aarch64", Type: "BUILD_IN", Origin: "CUSTOMIZE", ServiceType: "COMMON",
			DevServices: both, ResourceCategories: []string{"ASCEND"}, SizeKB: 12_582_912, Visibility: "PUBLIC", FlavorType: "ASCEND_SNT9B", CreateAt: t0 + 200*day, UpdateAt: t0 + 201*day},
		{ID: "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f", Name: "mindspore2.2.0-cann7.0.0-py3.9-euler2.10.7", Namespace: "atelier", Tag: "24.1.0-release",
			Description: "MindSpore 2.2 on CANN 7.0 for Ascend 910B", Arch: "aarch64", Type: "BUILD_IN", Origin: "CUSTOMIZE", ServiceType: "COMMON",
			DevServices: both, ResourceCategories: []string{"ASCEND"}, SizeKB: 11_534_336, Visibility: "PUBLIC", FlavorType: "ASCEND_SNT9B", CreateAt: t0 + 210*day, UpdateAt: t0 + 210*day},
		{ID: "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f", Name: "mlstudio-cpu-aarch64", Namespace: "atelier", Tag: "2.0.0",
			Description: "CPU image for ARM servers", Arch: "aarch64", Type: "BUILD_IN", Origin: "CUSTOMIZE", ServiceType: "COMMON",
			DevServices: both, ResourceCategories: []string{"CPU", "ASCEND"}, SizeKB: 2_097_152, Visibility: "PUBLIC", CreateAt: t0 + 90*day, UpdateAt: t0 + 90*day},
		{ID: "d4e5f6a7-b8c9-4d0e-9f1a-2b3c4d5e6f7a", Name: "my-pytorch-env", Namespace: "matui-team", Tag: "20240311",
			Description: "saved from notebook train-resnet50", Arch: "x86_64", Type: "DEDICATED", Origin: "IMAGE_SAVE", ServiceType: "DEV",
			DevServices: both, ResourceCategories: []string{"GPU", "CPU"}, SizeKB: 10_223_616, Visibility: "PRIVATE", CreateAt: t0 + 300*day, UpdateAt: t0 + 300*day},
	}
	c.imagesBy = make(map[string]*image, len(c.images))
	for _, im := range c.images {
		c.imagesBy[im.ID] = im
	}

	c.profiles = []*profile{
		{ID: "0e5b7a7e-7359-11eb-b34f-0255ac100101", Name: "Multi-Engine 1.0 (python3)-cpu", Description: "Multi-engine, python 3.6, CPU",
			FlavorTypes: []string{"CPU"}, ImageName: "mul-kernel-cpu-cp36", ImageTag: "3.3.2-release"},
		{ID: "0e5b7a7e-7359-11eb-b34f-0255ac100102", Name: "Multi-Engine 1.0 (python3)-gpu", Description: "Multi-engine, python 3.6, GPU",
			FlavorTypes: []string{"GPU"}, ImageName: "mul-kernel-gpu-cuda-cp36", ImageTag: "3.3.2-release"},
		{ID: "0e5b7a7e-7359-11eb-b34f-0255ac100103", Name: "Multi-Engine 1.0 (python2)-cpu", Description: "Multi-engine, python 2.7, CPU",
			FlavorTypes: []string{"CPU"}, ImageName: "mul-kernel-cpu-cp27", ImageTag: "3.3.2-release"},
		{ID: "0e5b7a7e-7359-11eb-b34f-0255ac100104", Name: "Multi-Engine 1.0 (python2)-gpu", Description: "Multi-engine, python 2.7, GPU",
			FlavorTypes: []string{"GPU"}, ImageName: "mul-kernel-gpu-cuda-cp27", ImageTag: "3.3.2-release"},
		{ID: "0e5b7a7e-7359-11eb-b34f-0255ac100105", Name: "Multi-Engine 2.0 (python3)", Description: "Multi-engine 2.0, python 3.7, CPU and GPU",
			FlavorTypes: []string{"CPU", "GPU"}, ImageName: "mul-kernel-cp37", ImageTag: "4.0.1-release"},
		// ID and name from seeds 000/001.
		{ID: "efa847c0-7359-11eb-b34f-0255ac100057", Name: "Ascend-Powered-Engine 1.0 (python3)", Description: "Ascend 910, python 3.7/3.6 for notebook",
			FlavorTypes: []string{"Ascend"}, ImageName: "mul-kernel-d910-arm-cp37", ImageTag: "3.1.0-c76-2-test",
			Aliases: []string{"Ascend-Power-Engine 1.0(python3)"}},
		// The reference's OTC create sample uses this ID with an Ascend flavor.
		{ID: "0e5b7a7e-7359-11eb-b34f-0255ac100107", Name: "Power-Engine 1.0(python3)", Description: "Power engine, python 3.7, Ascend",
			FlavorTypes: []string{"Ascend"}, ImageName: "power-engine-d910-arm-cp37", ImageTag: "1.0.0"},
	}

	c.pool = Pool{ID: "pool-a1b2c3d4", Name: "pool-train-eu-de", Nodes: []Node{
		poolNode("192.168.0.11", 32, 128*1024, 2, "nvidia-t4", "x86_64", "g6.8xlarge.4", "eu-de-01"),
		poolNode("192.168.0.12", 32, 128*1024, 2, "nvidia-t4", "x86_64", "g6.8xlarge.4", "eu-de-02"),
		poolNode("192.168.0.21", 16, 64*1024, 0, "", "x86_64", "c7.4xlarge.4", "eu-de-01"),
	}}
	c.buildClusters(createdAt)
	return c
}

func poolNode(ip string, cpu, memMiB, gpus int, accel, arch, itype, zone string) Node {
	l := map[string]string{
		"kubernetes.io/hostname":                 ip,
		"kubernetes.io/arch":                     map[string]string{"x86_64": "amd64", "aarch64": "arm64"}[arch],
		"os.architecture":                        arch,
		"os.name":                                "EulerOS_2.0_SP9",
		"node.kubernetes.io/instance-type":       itype,
		"topology.kubernetes.io/zone":            zone,
		"failure-domain.beta.kubernetes.io/zone": zone,
		"os.modelarts.node/cluster":              "pool-a1b2c3d4",
	}
	if accel != "" {
		l["accelerator"] = accel
	}
	return Node{Name: ip, VCPUs: cpu, MemoryMiB: memMiB, GPUs: gpus, GPUType: strings.TrimPrefix(accel, "nvidia-"), Labels: l}
}

// resolveProfile finds a profile by ID, name or alias; names are compared
// case-insensitively and ignoring spaces, because clients write
// "Power-Engine 1.0(python3)" and "Power-Engine 1.0 (python3)" alike.
func (c *catalog) resolveProfile(id string) *profile {
	norm := func(s string) string { return strings.ToLower(strings.ReplaceAll(s, " ", "")) }
	want := norm(id)
	for _, p := range c.profiles {
		if p.ID == id || norm(p.Name) == want {
			return p
		}
		for _, a := range p.Aliases {
			if norm(a) == want {
				return p
			}
		}
	}
	return nil
}

// switchable lists the flavors an instance on f can switch to: same
// category, architecture and feature, on sale, not f itself.
func (c *catalog) switchable(f *flavor) []*flavor {
	var out []*flavor
	if f == nil {
		return out
	}
	for _, g := range c.flavors {
		if g.Gen2 && g != f && g.Category == f.Category && g.Arch == f.Arch && g.Feature == f.Feature && !g.SoldOut && !g.Free {
			out = append(out, g)
		}
	}
	return out
}

// PoolLabels returns the label keys of the dedicated pool's nodes with their
// distinct values (sorted), for affinity key/value suggestions in the UI.
func (s *Server) PoolLabels() map[string][]string {
	out := map[string][]string{}
	for _, n := range s.st.cat.pool.Nodes {
		for k, v := range n.Labels {
			if !slices.Contains(out[k], v) {
				out[k] = append(out[k], v)
			}
		}
	}
	for k := range out {
		slices.Sort(out[k])
	}
	return out
}

// Pool returns a copy of the simulator's dedicated pool.
func (s *Server) Pool() Pool {
	p := s.st.cat.pool
	p.Nodes = slices.Clone(p.Nodes)
	for i := range p.Nodes {
		p.Nodes[i].Labels = maps.Clone(p.Nodes[i].Labels)
	}
	return p
}
