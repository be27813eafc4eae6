build/cc-native/lenet train --data data/mnist --arch modern --passes 10 --seed 3  --model build/ablation/modern-seed3.model --log figures/data/ablation/modern-seed3.csv
