build/cc-native/lenet train --data data/mnist --arch modern --passes 10 --seed 2  --model build/ablation/modern-seed2.model --log figures/data/ablation/modern-seed2.csv
