build/cc-native/lenet train --data data/mnist --arch paper --passes 10 --seed 1  --model build/ablation/paper-seed1.model --log figures/data/ablation/paper-seed1.csv
