build/cc-native/lenet train --data data/mnist --arch modern --passes 10 --seed 1  --model build/ablation/modern-seed1.model --log figures/data/ablation/modern-seed1.csv
