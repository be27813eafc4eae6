build/cc-native/lenet train --data data/mnist --arch paper-fullc3 --passes 10 --seed 3  --model build/ablation/fullc3-seed3.model --log figures/data/ablation/fullc3-seed3.csv
