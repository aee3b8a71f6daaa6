package nn

import (
	"slices"
	"testing"
)

func TestRoleString(t *testing.T) {
	want := map[Role]string{RoleWeight: "weight", RoleBias: "bias", RoleGain: "gain", RoleAdapter: "adapter",
		RoleArchLogit: "arch_logit", 0: "role(0)", 9: "role(9)"}
	for r, s := range want {
		if got := r.String(); got != s {
			t.Errorf("Role(%d).String() = %q, want %q", uint8(r), got, s)
		}
	}
	var decays []Role
	for r := range Role(8) {
		if r.Decays() {
			decays = append(decays, r)
		}
	}
	if !slices.Equal(decays, []Role{RoleWeight, RoleAdapter}) {
		t.Errorf("roles that decay: %v, want weight and adapter", decays)
	}
}

// TestLayerRoles checks the role of every parameter of a network of each
// kind of layer, and that the containers' renamed parameters keep the
// role and the frozen flag and share the layers' tensors.
func TestLayerRoles(t *testing.T) {
	rng := NewRand(1, 1)
	d := NewDense(3, 4, HeUniform, rng)
	d.B.Frozen = true
	body := NewSequential(NewLayerNorm(4, 0), NewDenseNoBias(4, 4, HeUniform, rng))
	net := NewSequential(d, NewResidual(body), new(ReLU), NewDense(4, 2, GlorotUniform, rng))
	type row struct {
		name   string
		role   Role
		frozen bool
	}
	want := []row{{"layers[0].w", RoleWeight, false}, {"layers[0].b", RoleBias, true},
		{"layers[1].body.layers[0].gain", RoleGain, false}, {"layers[1].body.layers[0].bias", RoleBias, false},
		{"layers[1].body.layers[1].w", RoleWeight, false}, {"layers[3].w", RoleWeight, false}, {"layers[3].b", RoleBias, false}}
	var got []row
	for _, p := range net.Params() {
		got = append(got, row{p.Name, p.Role, p.Frozen})
	}
	if !slices.Equal(got, want) {
		t.Fatalf("params %v, want %v", got, want)
	}
	if p := net.Param("layers[1].body.layers[1].w"); p.Value != body.Layers[1].(*Dense).W.Value || p.Grad != body.Layers[1].(*Dense).W.Grad {
		t.Error("the residual body's weight is not shared with the network")
	}
}

func TestSelect(t *testing.T) {
	rng := NewRand(1, 1)
	net := NewSequential(NewDense(3, 4, HeUniform, rng), NewLayerNorm(4, 0), NewDense(4, 2, GlorotUniform, rng))
	names := func(ps []*Param) []string {
		var out []string
		for _, p := range ps {
			out = append(out, p.Name)
		}
		return out
	}
	if got, want := names(ParamsByRole(net.Params(), RoleWeight)), []string{"layers[0].w", "layers[2].w"}; !slices.Equal(got, want) {
		t.Errorf("weights %v, want %v", got, want)
	}
	if got, want := names(ParamsByRole(net.Params(), RoleGain, RoleBias)), []string{"layers[0].b", "layers[1].gain", "layers[1].bias", "layers[2].b"}; !slices.Equal(got, want) {
		t.Errorf("gains and biases %v, want %v", got, want)
	}
	if got := ParamsByRole(net.Params(), RoleAdapter, RoleArchLogit); got != nil {
		t.Errorf("adapters and logits %v, want none", names(got))
	}
	net.Params()[0].Frozen = true
	if got, want := names(Select(net.Params(), Trainable)), []string{"layers[0].b", "layers[1].gain", "layers[1].bias", "layers[2].w", "layers[2].b"}; !slices.Equal(got, want) {
		t.Errorf("trainable %v, want %v", got, want)
	}
	if got, want := names(Select(net.Params(), Decayed)), []string{"layers[0].w", "layers[2].w"}; !slices.Equal(got, want) {
		t.Errorf("decayed %v, want %v", got, want)
	}
}
