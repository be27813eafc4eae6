build/cc-native/lenet train --data data/mnist --arch paper --passes 10 --seed 3  --model build/ablation/paper-seed3.model --log figures/data/ablation/paper-seed3.csv
