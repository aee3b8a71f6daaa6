package data_test

import (
	"fmt"

	"github.com/c2602f9e/goglove/trainer/data"
)

// Example loads the built-in synthetic dataset and gathers a mini-batch,
// as a training loop does.
func Example() {
	splits, err := data.Synthetic(data.SyntheticOptions{Train: 1000, Val: 200, Test: 200})
	if err != nil {
		fmt.Println(err)
		return
	}
	train := splits.Train
	fmt.Printf("train %d, val %d, test %d examples of %d features, %d classes\n",
		train.N, splits.Val.N, splits.Test.N, train.Features, train.Classes)

	const batch = 32
	x := make([]float32, batch*train.Features)
	y := make([]int32, batch)
	idx := make([]int, batch)
	for i := range idx {
		idx[i] = i * 3 // a training loop would take a shuffled range
	}
	train.Gather(x, y, idx)
	fmt.Println(x[0] == train.Row(0)[0], x[train.Features] == train.Row(3)[0], y[1] == train.Y[3])
	// Output:
	// train 1000, val 200, test 200 examples of 64 features, 10 classes
	// true true true
}

// ExampleFashionMNIST loads Fashion-MNIST with the last 5,000 training
// images held out for validation. (Not run as a test: it needs the
// dataset-fashion-mnist package.)
func ExampleFashionMNIST() {
	splits, err := data.FashionMNIST("", 5000)
	if err != nil {
		fmt.Println(err) // says how to install the dataset
		return
	}
	fmt.Println(splits.Train.N, splits.Val.N, splits.Test.N, splits.Train.Features)
}
