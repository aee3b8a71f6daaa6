module github.com/c2602f9e/goglove

go 1.26

require go.yaml.in/yaml/v3 v3.0.6
