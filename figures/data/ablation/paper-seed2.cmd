build/cc-native/lenet train --data data/mnist --arch paper --passes 10 --seed 2  --model build/ablation/paper-seed2.model --log figures/data/ablation/paper-seed2.csv
